// tern-appbench: the desktop app's figures (issue 4), measured on a real app window.
//
//   tern-appbench [--messages 100000] [--conversations 50] [--big 10000] [--json FILE]
//   tern-appbench --search 1000000   (local search only: SearchBench.cpp)
//
// It fills an account cache (one LocalStore file, as the app keeps it) with `--messages`
// messages in `--conversations` chats, one of them holding `--big`, then starts itself as a
// child process that runs the real app (AppController, MainWindow) on that profile and reports:
//   start   — process launch until the window shows the cached list (parent's clock);
//   open    — activating the big chat until its view has painted the newest page;
//   rss     — the child's resident memory after opening the chat.
// The server is not reachable (the cached profile points at a closed local port): this is the
// "opens instantly with what it had" path; syncing afterwards happens behind the shown window.

#include "app/cache/LocalStore.h"
#include "app/client/ChatClient.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageListModel.h"
#include "app/session/AccountSession.h"
#include "app/session/AppSettings.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatPane.h"
#include "app/ui/MainWindow.h"
#include "app/ui/MessageView.h"
#include "shared/crypto/Crypto.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

using namespace tern;
using namespace tern::app;

namespace {

const QString kUser = QStringLiteral("bench");
const QString kMe = QStringLiteral("u-me");
const QUrl kServer(QStringLiteral("ws://127.0.0.1:9/ws")); // discard port: nothing listens

qint64 rssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

template <typename T> T take(QFuture<T> future)
{
    future.waitForFinished();
    return future.result();
}

QString conversationId(int i)
{
    return QStringLiteral("c%1").arg(i, 3, 10, QLatin1Char('0'));
}

//! Writes the cache the way the app would have after a long time online.
bool fill(const QString &profile, int total, int chats, int big)
{
    session::AppSettings settings(profile);
    const QString key = session::AccountSession::accountKey(kServer, kUser);
    settings.setLastAccount(key);
    QDir().mkpath(settings.accountsDir());
    cache::LocalStore store(QDir(settings.accountsDir()).filePath(key + QStringLiteral(".sqlite")));
    if (!store.open().ok())
        return false;
    const Status saved =
        take(store.setSettings({{client::ChatConnection::kTokenKey, QStringLiteral("bench-token")},
                                {client::ChatConnection::kUserIdKey, kMe},
                                {client::ChatConnection::kDeviceIdKey, QStringLiteral("d-me")},
                                {client::ChatConnection::kServerUrlKey, kServer.toString()}}));
    if (!saved.ok())
        return false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const int rest = chats > 1 ? (total - big) / (chats - 1) : 0;
    QList<protocol::ConversationSummary> summaries;
    for (int c = 0; c < chats; ++c) {
        const int count = c == 0 ? big : rest;
        const QString peer = QStringLiteral("u%1").arg(c);
        QList<protocol::MessageEvent> batch;
        protocol::MessageEvent last;
        // The big chat's cached part is its newest 10,000 of 110,000 (seqs 100,001–110,000): the
        // 100,000-row test below merges the older ones as one page, as scrolling back would.
        const int firstSeq = c == 0 ? 100'001 : 1;
        for (int seq = firstSeq; seq < firstSeq + count; ++seq) {
            protocol::MessageEvent m;
            m.id = QStringLiteral("m-%1-%2").arg(c).arg(seq);
            m.conversation = conversationId(c);
            m.seq = seq;
            m.from = seq % 3 == 0 ? kMe : peer;
            m.fromDevice = QStringLiteral("d");
            m.to = m.from == kMe ? peer : kMe;
            m.kind = protocol::MessageKind::Text;
            m.content = QStringLiteral("Message %1 in chat %2: the quick brown fox jumps over the "
                                       "lazy dog, %3 times.")
                            .arg(seq)
                            .arg(c)
                            .arg(seq % 17);
            m.ts = now - qint64(firstSeq + count - seq) * 60'000 - c * 1000;
            m.serverTs = m.ts;
            batch.append(m);
            last = m;
            if (batch.size() == 5000 || seq == firstSeq + count - 1) {
                if (!take(store.saveMessages(batch)).ok())
                    return false;
                batch.clear();
            }
        }
        protocol::ConversationSummary s;
        s.conversation = conversationId(c);
        s.kind = protocol::ConversationKind::Direct;
        s.name = QStringLiteral("Colleague %1").arg(c);
        s.members = {{kMe, protocol::Role::Member}, {peer, protocol::Role::Member}};
        s.lastSeq = firstSeq + count - 1;
        s.readSeq = s.lastSeq;
        if (count > 0)
            s.lastMessage = last;
        summaries.append(s);
    }
    return take(store.saveConversations(summaries)).ok();
}

int runChild(const QString &profile, const QString &bigChat)
{
    ui::AppOptions options;
    options.profileDir = profile;
    options.discovery = false;
    ui::AppController controller(options);
    controller.start();
    ui::MainWindow *window = controller.window();
    QTextStream out(stdout);
    QElapsedTimer clock;
    bool started = false;
    bool opening = false;
    bool painted = false;
    QTimer poll;
    poll.setInterval(1);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        session::AccountSession *account = controller.session();
        if (!started) {
            if (!account || !account->conversations()->isLoaded() ||
                account->conversations()->rowCount() == 0 || !window->isVisible())
                return;
            window->repaint(); // the cached list is on screen
            started = true;
            out << "READY " << account->conversations()->rowCount() << Qt::endl;
            clock.start();
            window->openConversation(bigChat);
            opening = true;
            return;
        }
        if (opening && !painted) {
            ui::MessageView *view = window->chatPane()->messageView();
            models::MessageListModel *model = view->messageModel();
            if (!model || model->isFetching() || model->rowCount() == 0)
                return;
            view->viewport()->repaint();
            painted = true;
            out << "OPENED " << clock.nsecsElapsed() / 1000 << ' ' << model->rowCount() << Qt::endl;
            out << "RSS " << rssKiB() << Qt::endl;
            // Then a chat scrolled back through 100,000 messages: merge them into the open
            // model, lay the view out, and page through it as a user scrolling would.
            QList<protocol::MessageEvent> many;
            many.reserve(100'000);
            const qint64 base = QDateTime::currentMSecsSinceEpoch() - 200'000'000LL * 60;
            for (int i = 0; i < 100'000; ++i) {
                protocol::MessageEvent m;
                m.id = QStringLiteral("x-%1").arg(i);
                m.conversation = model->conversationId();
                m.seq = i + 1;
                m.from = i % 3 == 0 ? kMe : QStringLiteral("u0");
                m.kind = protocol::MessageKind::Text;
                m.content = QStringLiteral("Older message %1 with a few words to wrap").arg(i);
                m.serverTs = base + qint64(i) * 120'000;
                many.append(m);
            }
            QElapsedTimer layout;
            layout.start();
            model->addMessages(many);
            view->doItemsLayout();
            view->viewport()->repaint();
            out << "LAYOUT100K " << layout.elapsed() << ' ' << model->rowCount() << Qt::endl;
            QElapsedTimer scrolling;
            scrolling.start();
            QScrollBar *bar = view->verticalScrollBar();
            const int steps = 200;
            for (int i = 0; i < steps; ++i) {
                bar->setValue(bar->maximum() - (i + 1) * (bar->maximum() / steps));
                view->viewport()->repaint();
            }
            out << "SCROLLFRAME " << scrolling.nsecsElapsed() / steps / 1000 << Qt::endl;
            // New messages arriving while the user reads the latest: the first one still lays
            // out every row; the chat pane then unloads the history down to a window, so the
            // next ones are cheap. INSERT reports the second.
            view->scrollToLatest();
            protocol::MessageEvent fresh = many.last();
            fresh.id = QStringLiteral("x-new1");
            fresh.seq += 1;
            fresh.serverTs += 60'000;
            QElapsedTimer first;
            first.start();
            model->addMessages({fresh});
            view->doItemsLayout();
            view->viewport()->repaint();
            out << "FIRSTINSERT " << first.nsecsElapsed() / 1000 << Qt::endl;
            // Let the pane unload the history (after any page being fetched lands).
            QElapsedTimer settle;
            settle.start();
            while (settle.elapsed() < 1500 && model->rowCount() > 5000)
                QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
            fresh.id = QStringLiteral("x-new2");
            fresh.seq += 1;
            fresh.serverTs += 60'000;
            QElapsedTimer insert;
            insert.start();
            model->addMessages({fresh});
            view->doItemsLayout();
            view->viewport()->repaint();
            out << "ROWS " << model->rowCount() << Qt::endl;
            out << "INSERT " << insert.nsecsElapsed() / 1000 << Qt::endl;
            QCoreApplication::quit();
        }
    });
    poll.start();
    QTimer::singleShot(60'000, [] { QCoreApplication::exit(2); });
    return QApplication::exec();
}

} // namespace

int runSearchBench(int total); // SearchBench.cpp

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    crypto::initialize();
    qputenv("TERN_NO_KEYCHAIN", "1");
    QCommandLineParser parser;
    QCommandLineOption messages(QStringLiteral("messages"), QStringLiteral("Cached messages."),
                                QStringLiteral("n"), QStringLiteral("100000"));
    QCommandLineOption chats(QStringLiteral("conversations"), QStringLiteral("Cached chats."),
                             QStringLiteral("n"), QStringLiteral("50"));
    QCommandLineOption big(QStringLiteral("big"), QStringLiteral("Messages in the chat opened."),
                           QStringLiteral("n"), QStringLiteral("10000"));
    QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Write results here."),
                            QStringLiteral("file"));
    QCommandLineOption child(QStringLiteral("child"), QStringLiteral("(internal)"),
                             QStringLiteral("profile"));
    QCommandLineOption search(QStringLiteral("search"),
                              QStringLiteral("Only time local search over n cached messages."),
                              QStringLiteral("n"));
    parser.addHelpOption();
    parser.addOptions({messages, chats, big, json, child, search});
    parser.process(app);
    if (parser.isSet(child))
        return runChild(parser.value(child), conversationId(0));
    if (parser.isSet(search))
        return runSearchBench(parser.value(search).toInt());

    QTemporaryDir dir;
    const QString profile = dir.filePath(QStringLiteral("profile"));
    QElapsedTimer fillClock;
    fillClock.start();
    if (!fill(profile, parser.value(messages).toInt(), parser.value(chats).toInt(),
              parser.value(big).toInt())) {
        std::fprintf(stderr, "could not fill the cache\n");
        return 1;
    }
    std::printf("cache filled: %d messages in %d chats (%lld ms)\n", parser.value(messages).toInt(),
                parser.value(chats).toInt(), fillClock.elapsed());

    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer clock;
    clock.start();
    process.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--child"), profile});
    qint64 startMs = -1;
    double openMs = -1;
    qint64 rss = -1;
    int rows = 0;
    qint64 layout100k = -1;
    double frameMs = -1;
    double insertMs = -1;
    double firstInsertMs = -1;
    int rowsAfter = -1;
    QByteArray buffer;
    while (process.state() != QProcess::NotRunning || process.bytesAvailable() > 0) {
        process.waitForReadyRead(100); // the bench's own thread: nothing else runs here
        buffer += process.readAllStandardOutput();
        while (buffer.contains('\n')) {
            const int end = int(buffer.indexOf('\n'));
            const QList<QByteArray> words = buffer.left(end).split(' ');
            buffer.remove(0, end + 1);
            if (words.first() == "READY")
                startMs = clock.elapsed();
            else if (words.first() == "OPENED" && words.size() >= 3) {
                openMs = words.at(1).toDouble() / 1000.0;
                rows = words.at(2).toInt();
            } else if (words.first() == "RSS") {
                rss = words.at(1).toLongLong();
            } else if (words.first() == "LAYOUT100K") {
                layout100k = words.at(1).toLongLong();
            } else if (words.first() == "FIRSTINSERT") {
                firstInsertMs = words.at(1).toDouble() / 1000.0;
            } else if (words.first() == "ROWS") {
                rowsAfter = words.at(1).toInt();
            } else if (words.first() == "INSERT") {
                insertMs = words.at(1).toDouble() / 1000.0;
            } else if (words.first() == "SCROLLFRAME") {
                frameMs = words.at(1).toDouble() / 1000.0;
            }
        }
        if (clock.elapsed() > 90'000)
            break;
    }
    process.waitForFinished(5000);
    if (startMs < 0 || openMs < 0) {
        std::fprintf(stderr, "the app did not report (exit %d)\n", process.exitCode());
        return 1;
    }
    std::printf("\n%-44s %12s %10s\n", "measure", "result", "target");
    std::printf("%-44s %9lld ms %10s\n", "start to usable window (cached list shown)", startMs,
                "< 1000 ms");
    std::printf("%-44s %9.1f ms %10s\n", "open the big chat (newest page painted)", openMs,
                "< 200 ms");
    std::printf("%-44s %9.1f MB %10s\n", "app RSS after opening it", rss / 1024.0, "< 150 MB");
    std::printf("%-44s %9lld ms %10s\n", "100,000 rows merged and laid out", layout100k, "-");
    std::printf("%-44s %9.2f ms %10s\n", "scrolling through them, per frame", frameMs, "< 16 ms");
    std::printf("%-44s %9.1f ms %10s\n", "first new message, 100,000 rows loaded", firstInsertMs,
                "-");
    std::printf("%-44s %9.1f ms %10s\n", "next new message (window trimmed)", insertMs, "< 16 ms");
    std::printf("(rows after trimming: %d)\n", rowsAfter);
    std::printf("(rows loaded in the opened chat: %d)\n", rows);
    if (parser.isSet(json)) {
        QFile file(parser.value(json));
        if (file.open(QIODevice::WriteOnly)) {
            file.write(
                QJsonDocument(
                    QJsonObject{{QStringLiteral("start_ms"), startMs},
                                {QStringLiteral("open_ms"), openMs},
                                {QStringLiteral("rss_kib"), rss},
                                {QStringLiteral("layout_100k_ms"), layout100k},
                                {QStringLiteral("scroll_frame_ms"), frameMs},
                                {QStringLiteral("insert_at_100k_ms"), insertMs},
                                {QStringLiteral("messages"), parser.value(messages).toInt()},
                                {QStringLiteral("conversations"), parser.value(chats).toInt()}})
                    .toJson());
        }
    }
    return 0;
}
