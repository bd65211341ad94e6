#pragma once

//! One app instance for UI tests (header-only): a profile directory and the AppController that
//! runs it, set up as tests need it (a hosted server on loopback with cheap hashing, no LAN
//! discovery or beacons), and signing in through the controller.

#include "app/client/ChatClient.h"
#include "app/models/ConversationListModel.h"
#include "app/session/AccountSession.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/MainWindow.h"
#include "tests/support/TestUtil.h"

#include <QApplication>
#include <QDir>
#include <QPlainTextEdit>
#include <QTest>

#include <qcoro/qcorotask.h>

#include <memory>

namespace tern::test {

inline const QString kAppPassword = QStringLiteral("password-123");

struct AppInstance
{
    QString profile;
    std::unique_ptr<app::ui::AppController> controller;

    void launch(const QString &dir)
    {
        profile = dir;
        app::ui::AppOptions options;
        options.profileDir = dir;
        options.hostPort = 0;
        options.hostAnnounce = false; // tests must not broadcast
        // A hosted server stays on loopback in tests, with cheap password hashing.
        options.hostArguments = {QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                                 QStringLiteral("--password-cost"), QStringLiteral("min")};
        options.discovery = false;
        controller = std::make_unique<app::ui::AppController>(options);
        controller->window()->resize(1000, 640);
        controller->start();
    }
    void close() { controller.reset(); }
    app::ui::MainWindow *window() const { return controller->window(); }
    app::session::AccountSession *session() const { return controller->session(); }
    app::client::ChatClient *client() const { return session()->client(); }
    app::models::ConversationListModel *list() const { return session()->conversations(); }
    app::ui::ChatPane *chat() const { return window()->chatPane(); }
    bool online() const
    {
        return controller && session() &&
               client()->state() == app::client::ChatClient::State::Online;
    }
    void activate() const
    {
        window()->show();
        window()->raise();
        window()->activateWindow();
        QApplication::setActiveWindow(window());
    }
    void type(const QString &text) const
    {
        auto *edit = chat()->composer()->findChild<QPlainTextEdit *>();
        edit->setFocus();
        QTest::keyClicks(edit, text);
    }
    void send(const QString &text) const
    {
        type(text);
        auto *edit = chat()->composer()->findChild<QPlainTextEdit *>();
        QTest::keyClick(edit, Qt::Key_Return);
    }
};

//! Signs in (registering first: `displayName`) with kAppPassword; true once online.
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
