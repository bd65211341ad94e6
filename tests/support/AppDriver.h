#pragma once

//! Drives one real Tern app instance in UI tests the way a user does: through its widgets.
//
// An AppDriver owns one AppController on a profile directory (as `tern --profile DIR` runs)
// and offers the verbs a QA engineer reads: launch, signUp/signIn (the connect screen),
// openChat (the list, or "New chat" and its search), send (keys into the composer), and
// reads back what is on screen (messages(), conversations()). Widgets are found by their
// objectName (docs/widget-names.md), never by position or text.
//
// Every verb waits for the event it causes with a bounded wait that spins the event loop (no
// fixed sleeps) and returns false on failure; errorString() then says what went wrong, and a
// screenshot plus a dump of the widget tree are saved to $TERN_TEST_OUTDIR (see
// docs/testing.md). Typical use, with a ChildServer `server`:
//
//     AppDriver alice;
//     QVERIFY2(alice.launch(dir + "/alice"), alice.error());
//     QVERIFY2(alice.signUp(server.url(), "alice", "Alice"), alice.error());
//     QVERIFY2(alice.openChat("Bob") && alice.send("Hello Bob"), alice.error());
//     QVERIFY2(alice.waitForTick("Hello Bob", Tick::Read), alice.error());
//
// The public members (`controller`, `profile`) and the accessors below them are an escape hatch
// for the project's own tests that check the app's internals; QA tests need only the verbs.
// Main thread only; one QApplication may run several drivers (two users side by side).

#include "app/models/MessageListModel.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QWidget;

namespace tern::app::client {
class ChatClient;
}
namespace tern::app::models {
class ConversationListModel;
}
namespace tern::app::session {
class AccountSession;
}
namespace tern::app::ui {
class AppController;
class ChatPane;
class MainWindow;
} // namespace tern::app::ui

namespace tern::test {

//! The password every account made by a driver gets (tests only).
inline const QString kAppPassword = QStringLiteral("password-123");

//! A message's tick, as the message list draws it (Pending < Sent < Delivered < Read).
using Tick = app::models::MessageListModel::Status;

class AppDriver
{
public:
    //! How long a verb waits for what it caused (a busy 2-core machine included).
    static constexpr int kDefaultWaitMs = 15'000;

    //! One message row on screen.
    struct Message
    {
        QString text;
        QString sender; // display name ("" for one's own)
        bool own = false;
        Tick tick = Tick::Sent; // meaningful for own messages
    };
    //! One row of the conversation list.
    struct Conversation
    {
        QString title;
        QString preview;
        int unread = 0;
    };

    AppDriver();
    ~AppDriver();
    AppDriver(const AppDriver &) = delete;
    AppDriver &operator=(const AppDriver &) = delete;

    // --- Verbs: each returns false (see errorString()) when it did not happen in time. ---

    //! Starts the app on `profileDir` (created when missing) and shows its window. A hosted
    //! server stays on loopback with cheap hashing; no LAN discovery or beacons.
    bool launch(const QString &profileDir);
    //! Quits the app (the profile stays; launch() again to restart it).
    void close();
    //! On the connect screen: types the server address, then creates the account `user` with
    //! `displayName` (and kAppPassword); true once the chat list shows and the app is online.
    bool signUp(const QUrl &server, const QString &user, const QString &displayName) const;
    //! The same for an existing account.
    bool signIn(const QUrl &server, const QString &user) const;
    //! Opens the chat titled `name`: clicks its row in the list, or else searches the user
    //! through "New chat" (display name or user name) and opens a chat with them.
    bool openChat(const QString &name) const;
    //! Types `text` into the composer of the open chat and presses Enter; true once the app took
    //! it (the composer emptied). waitForMessage()/waitForTick() then follow its way.
    bool send(const QString &text) const;
    //! Types without sending (the peer sees "typing…").
    bool type(const QString &text) const;
    //! Waits until a message with `text` is visible in the open chat.
    bool waitForMessage(const QString &text, int timeoutMs = kDefaultWaitMs) const;
    //! Waits until one's own newest message with `text` shows `tick` or a later one.
    bool waitForTick(const QString &text, Tick tick, int timeoutMs = kDefaultWaitMs) const;
    //! Waits until the list has a conversation titled `title` (with `unread` unread, if >= 0).
    bool waitForConversation(const QString &title, int unread = -1,
                             int timeoutMs = kDefaultWaitMs) const;
    //! Resizes the window, as the user drags it (below 700 px wide: one pane at a time).
    void resize(int width, int height) const;
    //! Saves the window as PNG; a relative path goes under $TERN_TEST_OUTDIR (or the temp dir).
    bool screenshot(const QString &path) const;

    // --- Reading the screen ---

    //! The message rows visible in the open chat, oldest first.
    QList<Message> messages() const;
    //! The rows of the conversation list, top first.
    QList<Conversation> conversations() const;
    //! The open chat's title ("" when none is open).
    QString chatTitle() const;
    //! Why the last verb failed, with where its screenshot went ("" after a success).
    QString errorString() const { return m_error; }
    //! errorString() for QVERIFY2.
    const char *error() const;
    //! The visible widget tree: class, objectName, text, one line each (debugging).
    QString dumpWidgets() const;

    //! Spins the event loop until `done()` or `timeoutMs` passed (the wait every verb uses).
    static bool waitUntil(const std::function<bool()> &done, int timeoutMs = kDefaultWaitMs);
    //! A visible descendant of the window (or of an open dialog) with this objectName.
    template <typename T> T *find(const QString &objectName) const
    {
        return qobject_cast<T *>(findWidget(objectName));
    }
    QWidget *findWidget(const QString &objectName) const;

    // --- The app's internals, for the project's own tests ---

    QString profile;
    std::unique_ptr<app::ui::AppController> controller;

    app::ui::MainWindow *window() const;
    app::session::AccountSession *session() const;
    app::client::ChatClient *client() const;
    app::models::ConversationListModel *list() const;
    app::ui::ChatPane *chat() const;
    bool online() const;
    //! Shows, raises and activates the window (read receipts need an active window).
    void activate() const;

private:
    bool submitAccount(const QUrl &server, const QString &user, const QString &displayName) const;
    bool openFromList(const QString &name) const;
    bool openFromSearch(const QString &name) const;
    //! Records `what` as the error, with a screenshot and widget dump; returns false.
    bool fail(const QString &what) const;
    bool succeed() const;

    // What went wrong: the verbs change nothing else of the driver, so they are const.
    mutable QString m_error;
    mutable QByteArray m_errorBytes;
    mutable int m_failures = 0;
};

} // namespace tern::test
