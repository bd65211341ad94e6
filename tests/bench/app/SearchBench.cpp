// tern-appbench --search N: local full-text search (issue 19) over N cached messages.
//
// Fills one LocalStore file with N text messages in 100 chats (through saveMessages, so the
// triggers index them as the app would), then times LocalStore::search from the call until its
// future has the answer: the first query on the freshly opened file, then the median of 5 runs,
// for a rare word (100 messages), a word in every message, two word starts, and one chat.

#include "app/cache/LocalStore.h"

#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace tern;
using namespace tern::app::cache;

namespace {

template <typename T> T take(QFuture<T> future)
{
    future.waitForFinished();
    return future.result();
}

const char *const kWords[] = {"meeting", "budget", "deploy", "coffee", "review", "lunch",
                              "server",  "ticket", "design", "friday", "report", "invoice"};

bool fillSearchCache(const QString &path, int total)
{
    LocalStore store(path);
    if (!store.open().ok())
        return false;
    QList<protocol::MessageEvent> batch;
    for (int i = 0; i < total; ++i) {
        protocol::MessageEvent m;
        const int chat = i % 100;
        m.conversation = QStringLiteral("c%1").arg(chat, 3, 10, QLatin1Char('0'));
        m.seq = i / 100 + 1;
        m.id = QStringLiteral("m%1").arg(i);
        m.from = QStringLiteral("u%1").arg(chat);
        m.fromDevice = QStringLiteral("d");
        m.to = QStringLiteral("u-me");
        m.kind = protocol::MessageKind::Text;
        // Every message has "quick"; one in 10,000 has "zeppelin".
        m.content = QStringLiteral("Message %1 about the %2 and the %3: the quick brown fox%4")
                        .arg(i)
                        .arg(QLatin1String(kWords[i % 12]), QLatin1String(kWords[(i / 12) % 12]),
                             i % 10'000 == 0 ? QStringLiteral(" zeppelin") : QString());
        m.ts = 1'700'000'000'000 + qint64(i) * 1000;
        m.serverTs = m.ts;
        batch.append(m);
        if (batch.size() == 5000 || i == total - 1) {
            if (!take(store.saveMessages(batch)).ok())
                return false;
            batch.clear();
        }
    }
    return true;
}

} // namespace

int runSearchBench(int total)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("search.sqlite"));
    QElapsedTimer clock;
    clock.start();
    if (!fillSearchCache(path, total)) {
        std::fprintf(stderr, "could not fill the cache\n");
        return 1;
    }
    std::printf("search cache filled: %d messages in 100 chats (%lld ms)\n", total,
                clock.elapsed());
    LocalStore store(path);
    if (!store.open().ok())
        return 1;
    const struct
    {
        const char *label;
        SearchQuery query;
    } cases[] = {
        {"rare word (zeppelin)", {QStringLiteral("zeppelin"), {}, 20}},
        {"word in every message (quick)", {QStringLiteral("quick"), {}, 20}},
        {"two word starts (budg revi)", {QStringLiteral("budg revi"), {}, 20}},
        {"one chat (invoice in c042)", {QStringLiteral("invoice"), QStringLiteral("c042"), 50}},
    };
    bool first = true;
    for (const auto &c : cases) {
        QList<double> runs;
        int hits = 0;
        for (int run = 0; run < (first ? 6 : 5); ++run) {
            QElapsedTimer one;
            one.start();
            const Result<QList<LocalSearchHit>> result = take(store.search(c.query));
            runs.append(double(one.nsecsElapsed()) / 1e6);
            if (!result.ok())
                return 1;
            hits = int(result->size());
        }
        if (first)
            std::printf("search first query on the opened file: %.2f ms\n", runs.takeFirst());
        first = false;
        std::sort(runs.begin(), runs.end());
        std::printf("search %s: %d hits, median %.2f ms, max %.2f ms\n", c.label, hits,
                    runs.at(runs.size() / 2), runs.last());
    }
    return 0;
}
