#pragma once

//! One app instance for the project's UI tests: the AppDriver (tests/support/AppDriver.h) under
//! its older name, plus the controller-level sign-in that set-ups use where the connect screen
//! is not what a test is about.

#include "app/client/ChatClient.h"
#include "app/models/ConversationListModel.h"
#include "app/session/AccountSession.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/MainWindow.h"
#include "tests/support/AppDriver.h"
#include "tests/support/TestUtil.h"

#include <QApplication>
#include <QDir>
#include <QPlainTextEdit>
#include <QTest>

#include <qcoro/qcorotask.h>

namespace tern::test {

using AppInstance = AppDriver;

//! Signs in (registering first: `displayName`) with kAppPassword through the controller, not
//! the connect screen (AppDriver::signUp drives that); true once online.
inline bool signIn(AppInstance &app, const QUrl &url, const QString &user,
                   const QString &displayName)
{
    QCoro::Task<Status> task =
        app.controller->signIn(url, user, kAppPassword, QStringLiteral("desk"), displayName);
    const Status status = QCoro::waitFor(std::move(task));
    if (!status.ok())
        qWarning() << "sign-in failed:" << status.error().message;
    return status.ok() && spinUntil([&] { return app.online(); }, 15'000);
}

//! Saves a screenshot of `widget` to $TERN_TEST_OUTDIR (the temp dir when unset).
inline void saveShot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("TERN_TEST_OUTDIR", QDir::tempPath());
    QDir().mkpath(dir);
    widget->grab().save(QDir(dir).filePath(name));
}

} // namespace tern::test
