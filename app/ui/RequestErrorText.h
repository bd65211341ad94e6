#pragma once

//! User-readable wording for a failed request (the wire has codes; the words live in the UI).

#include "shared/core/Result.h"

#include <QCoreApplication>
#include <QString>

namespace tern::app::ui {

class RequestErrorText
{
    Q_DECLARE_TR_FUNCTIONS(RequestErrorText)
public:
    //! One sentence for an inline error label; the server's own text is not shown (it is not
    //! translated and may be technical).
    static QString describe(const Error &error);
    //! A failure without a server answer (offline, timeout, refused certificate...).
    static QString describeTransport(TransportFailure failure);
    //! Why a picture or file could not be downloaded, in the user's language (the error's own
    //! text is English and technical: callers show it only as a detail).
    static QString describeDownload(const Error &error);
};

} // namespace tern::app::ui
