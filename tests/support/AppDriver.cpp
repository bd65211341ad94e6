#include "tests/support/AppDriver.h"

#include "app/client/ChatClient.h"
#include "app/models/ConversationListModel.h"
#include "app/session/AccountSession.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatHeader.h"
#include "app/ui/ChatPane.h"
#include "app/ui/ConnectWidget.h"
#include "app/ui/MainWindow.h"
#include "app/ui/UserSearchWidget.h"
#include "shared/crypto/Crypto.h"
#include "tests/support/TestUtil.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabBar>
#include <QTest>

namespace tern::test {

using app::models::ConversationListModel;
using app::models::MessageListModel;
using app::ui::ConnectWidget;

namespace {

QString outputDir()
{
    const QString dir = qEnvironmentVariable("TERN_TEST_OUTDIR", QDir::tempPath());
    QDir().mkpath(dir);
    return dir;
}

//! Clears a line edit and types `text` into it, key by key, as a user would.
void fill(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->clear();
    QTest::keyClicks(edit, text);
}

void click(QAbstractButton *button)
{
    QTest::mouseClick(button, Qt::LeftButton, {}, button->rect().center());
}

void dumpTree(const QWidget *widget, int depth, QString &out)
{
    if (!widget->isVisible())
        return;
    QString text;
    if (const auto *label = qobject_cast<const QLabel *>(widget))
        text = label->text();
    else if (const auto *button = qobject_cast<const QAbstractButton *>(widget))
        text = button->text();
    else if (const auto *edit = qobject_cast<const QLineEdit *>(widget))
        text = edit->text();
    else if (const auto *plain = qobject_cast<const QPlainTextEdit *>(widget))
        text = plain->toPlainText();
    out += QString(depth * 2, QLatin1Char(' ')) + QLatin1String(widget->metaObject()->className());
    if (!widget->objectName().isEmpty())
        out += QLatin1String(" #") + widget->objectName();
    if (!text.isEmpty())
        out += QLatin1String(" \"") + text.left(80) + QLatin1Char('"');
    out += QLatin1Char('\n');
    // The rows of lists (chats, messages) as a screen reader reads them.
    if (const auto *view = qobject_cast<const QAbstractItemView *>(widget); view && view->model()) {
        constexpr int kMaxRows = 60;
        for (int row = 0; row < std::min(view->model()->rowCount(), kMaxRows); ++row) {
            const QModelIndex index = view->model()->index(row, 0);
            QString line = index.data(Qt::AccessibleTextRole).toString();
            if (line.isEmpty())
                line = index.data(Qt::DisplayRole).toString();
            out += QString(depth * 2 + 2, QLatin1Char(' ')) +
                   QStringLiteral("row %1: %2\n").arg(row).arg(line.left(100));
        }
    }
    for (const QObject *child : widget->children()) {
        if (const auto *w = qobject_cast<const QWidget *>(child); w && !w->isWindow())
            dumpTree(w, depth + 1, out);
    }
}

} // namespace

AppDriver::AppDriver() = default;

AppDriver::~AppDriver() = default;

bool AppDriver::launch(const QString &profileDir)
{
    // The app's crypto needs libsodium ready (the keyring is left to TERN_NO_KEYCHAIN, which
    // CTest sets: tests of the keyring itself unset it).
    if (!crypto::initialize())
        return fail(QStringLiteral("launch: libsodium did not initialise"));
    profile = profileDir;
    app::ui::AppOptions options;
    options.profileDir = profileDir;
    options.hostPort = 0;
    options.hostAnnounce = false; // tests must not broadcast
    // A hosted server stays on loopback in tests, with cheap password hashing. It serves wss://
    // with the certificate it makes, as for users: the app pins it without a question.
    options.hostArguments = {QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                             QStringLiteral("--password-cost"), QStringLiteral("min")};
    options.discovery = false;
    controller = std::make_unique<app::ui::AppController>(options);
    controller->window()->resize(1000, 640);
    controller->start();
    return succeed();
}

void AppDriver::close()
{
    controller.reset();
}

bool AppDriver::signUp(const QUrl &server, const QString &user, const QString &displayName) const
{
    return submitAccount(server, user, displayName);
}

bool AppDriver::signIn(const QUrl &server, const QString &user) const
{
    return submitAccount(server, user, QString());
}

bool AppDriver::submitAccount(const QUrl &server, const QString &user,
                              const QString &displayName) const
{
    const QString verb =
        displayName.isEmpty() ? QStringLiteral("signIn") : QStringLiteral("signUp");
    if (!controller)
        return fail(verb + QStringLiteral(": the app is not launched"));
    if (window()->isShowingMain())
        return fail(verb + QStringLiteral(": already signed in"));
    activate();
    ConnectWidget *connect = window()->connectWidget();
    // The first launch of a profile greets first.
    if (connect->page() == ConnectWidget::Page::Welcome) {
        auto *welcome = find<QAbstractButton>(QStringLiteral("welcomeContinueButton"));
        if (!welcome)
            return fail(verb + QStringLiteral(": no welcomeContinueButton on the welcome page"));
        click(welcome);
        if (!waitUntil([&] { return connect->page() != ConnectWidget::Page::Welcome; }))
            return fail(verb + QStringLiteral(": the welcome page stayed"));
    }
    if (connect->page() == ConnectWidget::Page::SignIn && connect->serverUrl() != server) {
        click(find<QAbstractButton>(QStringLiteral("backButton")));
        if (!waitUntil([&] { return connect->page() == ConnectWidget::Page::ChooseServer; }))
            return fail(verb + QStringLiteral(": \"Back\" did not lead to the server choice"));
    }
    if (connect->page() == ConnectWidget::Page::ChooseServer) {
        auto *address = find<QLineEdit>(QStringLiteral("addressEdit"));
        auto *button = find<QAbstractButton>(QStringLiteral("connectButton"));
        if (!address || !button)
            return fail(verb + QStringLiteral(": no addressEdit/connectButton on screen"));
        fill(address, server.toString());
        click(button);
        // The app checks the address before it offers the sign-in form.
        if (!waitUntil([&] {
                return connect->page() == ConnectWidget::Page::SignIn ||
                       (!connect->isChecking() && !connect->errorText().isEmpty());
            }) ||
            connect->page() != ConnectWidget::Page::SignIn)
            return fail(verb + QStringLiteral(": the server %1 was not accepted: %2")
                                   .arg(server.toString(), connect->errorText()));
    }
    auto *tabs = find<QTabBar>(QStringLiteral("modeTabs"));
    if (!tabs)
        return fail(verb + QStringLiteral(": no modeTabs on the sign-in page"));
    const int tab = displayName.isEmpty() ? 0 : 1;
    QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(tab).center());
    const bool create = !displayName.isEmpty();
    if (connect->isCreateAccountMode() != create)
        return fail(verb + QStringLiteral(": the modeTabs did not switch"));

    QList<std::pair<const char *, QString>> fields = {{"userEdit", user},
                                                      {"passwordEdit", kAppPassword}};
    if (create)
        fields += {{"displayNameEdit", displayName}, {"confirmEdit", kAppPassword}};
    for (const auto &[name, value] : fields) {
        auto *edit = find<QLineEdit>(QLatin1String(name));
        if (!edit)
            return fail(verb + QStringLiteral(": no %1 on the sign-in page").arg(name));
        fill(edit, value);
    }
    auto *submit = find<QAbstractButton>(QStringLiteral("submitButton"));
    if (!submit)
        return fail(verb + QStringLiteral(": no submitButton"));
    click(submit);
    const bool done = waitUntil([&] {
        return (window()->isShowingMain() && online()) ||
               (!connect->isBusy() && !connect->errorText().isEmpty());
    });
    if (!done || !window()->isShowingMain() || !online())
        return fail(verb + QStringLiteral(" as %1 failed: %2")
                               .arg(user, connect->errorText().isEmpty()
                                              ? QStringLiteral("not online in time")
                                              : connect->errorText()));
    return succeed();
}

bool AppDriver::openChat(const QString &name) const
{
    if (!controller || !session())
        return fail(QStringLiteral("openChat(%1): not signed in").arg(name));
    activate();
    if (chatTitle() == name)
        return succeed();
    return openFromList(name) || openFromSearch(name);
}

bool AppDriver::openFromList(const QString &name) const
{
    auto *view = find<QListView>(QStringLiteral("conversationList"));
    // A narrow window shows one pane at a time: go back to the list first.
    auto *back = find<QAbstractButton>(QStringLiteral("chatBackButton"));
    if (!view && back) {
        click(back);
        waitUntil([&] { return (view = find<QListView>(QStringLiteral("conversationList"))); });
    }
    if (!view || !view->model())
        return false;
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QModelIndex index = view->model()->index(row, 0);
        if (index.data(ConversationListModel::NameRole).toString() != name)
            continue;
        view->scrollTo(index);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
        if (!waitUntil([&] { return chatTitle() == name; }))
            return fail(QStringLiteral("openChat(%1): clicking its row did not open it").arg(name));
        return succeed();
    }
    return false;
}

bool AppDriver::openFromSearch(const QString &name) const
{
    const QString verb = QStringLiteral("openChat(%1)").arg(name);
    auto *newChat = find<QAbstractButton>(QStringLiteral("newChatButton"));
    if (!newChat)
        return fail(verb + QStringLiteral(": not in the list, and no newChatButton"));
    click(newChat);
    QDialog *dialog = nullptr;
    if (!waitUntil([&] { return (dialog = find<QDialog>(QStringLiteral("newChatDialog"))); }))
        return fail(verb + QStringLiteral(": the New chat dialog did not open"));
    auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("userSearchField"));
    auto *results = dialog->findChild<QListWidget *>(QStringLiteral("userSearchResults"));
    auto *open = dialog->findChild<QAbstractButton *>(QStringLiteral("openChatButton"));
    auto *search = dialog->findChild<app::ui::UserSearchWidget *>();
    // A failure leaves no dialog behind to block the next verb (its evidence is taken first).
    const auto failAndClose = [&](const QString &why) {
        fail(verb + why);
        dialog->reject();
        return false;
    };
    if (!field || !results || !open || !search)
        return failAndClose(QStringLiteral(": the New chat dialog lacks its named widgets"));
    QSignalSpy answered(search, &app::ui::UserSearchWidget::searchFinished);
    fill(field, name);
    // A result reads "Display Name  @user"; either part may be what the test calls the user.
    QString displayName;
    const auto match = [&]() -> QListWidgetItem * {
        for (int i = 0; i < results->count(); ++i) {
            const QStringList parts = results->item(i)->text().split(QStringLiteral("  @"));
            if (parts.size() == 2 && (parts[0] == name || parts[1] == name)) {
                displayName = parts[0];
                return results->item(i);
            }
        }
        return nullptr;
    };
    // Done when the user is listed, or when the server answered the search without them.
    if (!waitUntil([&] { return match() || (!answered.isEmpty() && search->query() == name); }) ||
        !match()) {
        QStringList shown;
        for (int i = 0; i < results->count(); ++i)
            shown << results->item(i)->text();
        return failAndClose(QStringLiteral(": no such user among the results [%1] %2")
                                .arg(shown.join(QStringLiteral(", ")), search->statusText()));
    }
    QListWidgetItem *item = match();
    results->scrollToItem(item);
    QTest::mouseClick(results->viewport(), Qt::LeftButton, {},
                      results->visualItemRect(item).center());
    if (!waitUntil([&] { return open->isEnabled(); }))
        return failAndClose(QStringLiteral(": picking the user did not enable Open chat"));
    click(open);
    if (!waitUntil([&] { return chatTitle() == displayName; }))
        return fail(verb + QStringLiteral(": the chat with %1 did not open").arg(displayName));
    return succeed();
}

bool AppDriver::type(const QString &text) const
{
    auto *edit = find<QPlainTextEdit>(QStringLiteral("composerEdit"));
    if (!edit)
        return fail(QStringLiteral("type: no composer on screen (is a chat open?)"));
    edit->setFocus();
    QTest::keyClicks(edit, text);
    return succeed();
}

bool AppDriver::send(const QString &text) const
{
    if (!type(text))
        return false;
    auto *edit = find<QPlainTextEdit>(QStringLiteral("composerEdit"));
    QTest::keyClick(edit, Qt::Key_Return);
    // The composer empties itself when it hands the text over.
    if (!edit->toPlainText().isEmpty())
        return fail(QStringLiteral("send(%1): Enter did not send (composer holds \"%2\")")
                        .arg(text, edit->toPlainText()));
    return succeed();
}

bool AppDriver::waitForMessage(const QString &text, int timeoutMs) const
{
    const auto shown = [&] {
        for (const Message &message : messages()) {
            if (message.text == text)
                return true;
        }
        return false;
    };
    if (!waitUntil(shown, timeoutMs))
        return fail(QStringLiteral("waitForMessage(%1): not shown in the open chat \"%2\"")
                        .arg(text, chatTitle()));
    return succeed();
}

bool AppDriver::waitForTick(const QString &text, Tick tick, int timeoutMs) const
{
    int seen = -1;
    const auto reached = [&] {
        const QList<Message> rows = messages();
        for (auto it = rows.crbegin(); it != rows.crend(); ++it) {
            if (it->own && it->text == text) {
                seen = int(it->tick);
                return tick == Tick::Failed ? it->tick == Tick::Failed
                                            : it->tick != Tick::Failed && seen >= int(tick);
            }
        }
        return false;
    };
    if (!waitUntil(reached, timeoutMs))
        return fail(QStringLiteral("waitForTick(%1, %2): the tick is %3")
                        .arg(text, QVariant::fromValue(tick).toString(),
                             seen < 0 ? QStringLiteral("(no such own message on screen)")
                                      : QVariant::fromValue(Tick(seen)).toString()));
    return succeed();
}

bool AppDriver::waitForConversation(const QString &title, int unread, int timeoutMs) const
{
    const auto listed = [&] {
        for (const Conversation &row : conversations()) {
            if (row.title == title && (unread < 0 || row.unread == unread))
                return true;
        }
        return false;
    };
    if (!waitUntil(listed, timeoutMs))
        return fail(QStringLiteral("waitForConversation(%1, unread %2): not in the list")
                        .arg(title)
                        .arg(unread));
    return succeed();
}

void AppDriver::resize(int width, int height) const
{
    window()->resize(width, height);
    // The panes re-layout on the resize event: let it arrive before the next verb looks.
    QCoreApplication::processEvents();
}

bool AppDriver::screenshot(const QString &path) const
{
    if (!controller)
        return fail(QStringLiteral("screenshot: the app is not launched"));
    const QString target = QDir(outputDir()).filePath(path); // absolute paths stay as they are
    QDir().mkpath(QFileInfo(target).absolutePath());
    if (!window()->grab().save(target))
        return fail(QStringLiteral("screenshot: could not write %1").arg(target));
    return succeed();
}

QList<AppDriver::Message> AppDriver::messages() const
{
    QList<Message> rows;
    auto *view = find<QListView>(QStringLiteral("messageView"));
    if (!view || !view->model())
        return rows;
    const QRect visible = view->viewport()->rect();
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QModelIndex index = view->model()->index(row, 0);
        if (!view->visualRect(index).intersects(visible))
            continue;
        Message message;
        message.text = index.data(MessageListModel::TextRole).toString();
        message.own = index.data(MessageListModel::IsOwnRole).toBool();
        message.sender =
            message.own ? QString() : index.data(MessageListModel::SenderNameRole).toString();
        message.tick = Tick(index.data(MessageListModel::StatusRole).toInt());
        rows << message;
    }
    return rows;
}

QList<AppDriver::Conversation> AppDriver::conversations() const
{
    QList<Conversation> rows;
    auto *view = find<QListView>(QStringLiteral("conversationList"));
    if (!view || !view->model())
        return rows;
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QModelIndex index = view->model()->index(row, 0);
        rows << Conversation{index.data(ConversationListModel::NameRole).toString(),
                             index.data(ConversationListModel::LastMessagePreviewRole).toString(),
                             index.data(ConversationListModel::UnreadCountRole).toInt()};
    }
    return rows;
}

QString AppDriver::chatTitle() const
{
    auto *header = find<app::ui::ChatHeader>(QStringLiteral("chatHeader"));
    return header ? header->title() : QString();
}

const char *AppDriver::error() const
{
    m_errorBytes = m_error.toLocal8Bit();
    return m_errorBytes.constData();
}

QString AppDriver::dumpWidgets() const
{
    QString out;
    if (!controller)
        return out;
    dumpTree(window(), 0, out);
    // Dialogs are windows of their own (children of the main window, dumped separately).
    for (QDialog *dialog : window()->findChildren<QDialog *>()) {
        if (dialog->isVisible())
            dumpTree(dialog, 0, out);
    }
    return out;
}

bool AppDriver::waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    return spinUntil(done, timeoutMs);
}

QWidget *AppDriver::findWidget(const QString &objectName) const
{
    if (!controller)
        return nullptr;
    // The visible one wins: a name may repeat (a closed dialog not yet deleted, a hidden page).
    const QList<QWidget *> all = window()->findChildren<QWidget *>(objectName);
    for (QWidget *widget : all) {
        if (widget->isVisible())
            return widget;
    }
    return nullptr;
}

app::ui::MainWindow *AppDriver::window() const
{
    return controller->window();
}

app::session::AccountSession *AppDriver::session() const
{
    return controller->session();
}

app::client::ChatClient *AppDriver::client() const
{
    return session()->client();
}

app::models::ConversationListModel *AppDriver::list() const
{
    return session()->conversations();
}

app::ui::ChatPane *AppDriver::chat() const
{
    return window()->chatPane();
}

bool AppDriver::online() const
{
    return controller && session() &&
           client()->connection()->state() == app::client::ChatConnection::State::Online;
}

void AppDriver::activate() const
{
    window()->show();
    window()->raise();
    window()->activateWindow();
    QApplication::setActiveWindow(window());
}

bool AppDriver::fail(const QString &what) const
{
    ++m_failures;
    m_error = what;
    if (controller) {
        const QString base = QDir(outputDir())
                                 .filePath(QStringLiteral("driver-%1-fail%2")
                                               .arg(QFileInfo(profile).fileName())
                                               .arg(m_failures));
        window()->grab().save(base + QStringLiteral(".png"));
        QFile dump(base + QStringLiteral(".txt"));
        if (dump.open(QIODevice::WriteOnly | QIODevice::Text))
            dump.write(dumpWidgets().toUtf8());
        m_error += QStringLiteral(" [screenshot %1.png, widgets %1.txt]").arg(base);
    }
    qWarning().noquote() << "AppDriver:" << m_error;
    return false;
}

bool AppDriver::succeed() const
{
    m_error.clear();
    return true;
}

} // namespace tern::test
