#include "app/ui/FileOpener.h"

#include <QDesktopServices>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>
#include <QUrl>

namespace tern::app::ui {

void FileOpener::open(const QString &path)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    const QString xdgOpen = QStandardPaths::findExecutable(QStringLiteral("xdg-open"));
    if (!xdgOpen.isEmpty()) {
        // No parent: xdg-open may wait for the app it started, and quitting Tern must not kill
        // it (a QProcess kills its process when destroyed). It goes when xdg-open exits.
        auto *process = new QProcess;
        process->setProcessChannelMode(QProcess::ForwardedChannels);
        QPointer<FileOpener> self(this);
        connect(process, &QProcess::finished, process,
                [self, process, path](int code, QProcess::ExitStatus status) {
                    process->deleteLater();
                    if (self && (status != QProcess::NormalExit || code != 0))
                        emit self->failed(path);
                });
        connect(process, &QProcess::errorOccurred, process,
                [self, process, path](QProcess::ProcessError error) {
                    if (error != QProcess::FailedToStart)
                        return;
                    process->deleteLater();
                    if (self)
                        emit self->failed(path);
                });
        process->start(xdgOpen, {path});
        return;
    }
#endif
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(path))) {
        // Queued, as the xdg-open answer is: callers see one order of events everywhere.
        QTimer::singleShot(0, this, [this, path] { emit failed(path); });
    }
}

} // namespace tern::app::ui
