#pragma once

//! Short human text for a message in one line: previews and system events ("Bob joined").

#include "shared/protocol/Messages.h"

#include <QCoreApplication>
#include <QHash>
#include <QString>

namespace tern::app::models {

class MessageText
{
    Q_DECLARE_TR_FUNCTIONS(MessageText)
public:
    //! `names` maps user ids to display names; unknown ids are shown as they are.
    static QString summary(const protocol::MessageEvent &message,
                           const QHash<QString, QString> &names);
    //! A `system` message's JSON content as a sentence; a generic text for unknown events.
    static QString systemText(const QString &content, const QHash<QString, QString> &names);
};

} // namespace tern::app::models
