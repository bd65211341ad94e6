#pragma once

//! Opens a local file with the desktop's app for its type and says whether that worked, so the
//! window can tell the user instead of leaving a line on stderr.
//
// On freedesktop systems QDesktopServices starts xdg-open detached and reports success even
// when xdg-open then finds no app; we run xdg-open ourselves and read its exit code. Elsewhere
// (and without xdg-open) QDesktopServices' answer is the outcome. Main thread; never blocks.

#include <QObject>
#include <QPointer>

namespace tern::app::ui {

class FileOpener : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    //! Starts opening `path`; `failed` follows when no app could open it.
    void open(const QString &path);

signals:
    void failed(const QString &path);
};

} // namespace tern::app::ui
