// libFuzzer target: a signed-in client's frames through a real in-process ternd (decoder,
// validation, Router, store), over a real WebSocket on 127.0.0.1. The input is up to 64 frames,
// one per line; `$ME`, `$PEER`, `$GROUP` and `$DIRECT` become real ids so the fuzzer reaches
// past "not found". Promises: the server survives every input; a request is answered only with
// `ack` or `error` carrying a contract code; the session (or, if the input got it closed, a new
// one) answers a heartbeat afterwards; and another user can still send and receive.

#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include "shared/core/ErrorCode.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace tern;
using namespace tern::test;

namespace {
[[noreturn]] void fail(const char *what, const QByteArray &detail = {})
{
    std::fprintf(stderr, "fuzz_session: %s: %s\n", what, detail.left(400).constData());
    std::abort();
}

struct World
{
    std::unique_ptr<QCoreApplication> app;
    std::unique_ptr<ServerFixture> server;
    TestUser me;
    TestUser peer;
    Device mine;
    Device peers;
    QString group;
    QString direct;
    int inputs = 0;
    qsizetype repliesChecked = 0;
};

World &world()
{
    static World w;
    if (w.server)
        return w;
    static int argc = 1;
    static char name[] = "fuzz_session";
    static char *argv[] = {name, nullptr};
    if (!QCoreApplication::instance())
        w.app = std::make_unique<QCoreApplication>(argc, argv);
    // The server logs every refusal; millions of inputs would drown the fuzzer's own output.
    QLoggingCategory::setFilterRules(QStringLiteral("tern.*.info=false\ntern.*.warning=false"));
    w.server = std::make_unique<ServerFixture>();
    if (!w.server->start())
        fail("server did not start", w.server->errorString().toUtf8());
    w.me = createUser(w.server->url(), QStringLiteral("fuzz"));
    w.peer = createUser(w.server->url(), QStringLiteral("peer"));
    w.mine = loginDevice(w.server->url(), w.me, QStringLiteral("fuzzer"));
    w.peers = loginDevice(w.server->url(), w.peer, QStringLiteral("peer"));
    if (!w.mine.ok() || !w.peers.ok())
        fail("set-up sessions failed");
    const QJsonObject created = w.mine->request(
        {{"type", "create_group"}, {"name", "fuzz"}, {"members", QJsonArray{w.peer.userId}}});
    const QJsonObject sent = w.mine->sendMessage(w.peer.userId, QStringLiteral("hello"));
    w.group = created.value(QStringLiteral("conversation")).toString();
    w.direct = sent.value(QStringLiteral("conversation")).toString();
    if (w.group.isEmpty() || w.direct.isEmpty())
        fail("set-up conversations failed");
    // Registered after Qt's own globals (the SQL driver among them) exist, so this runs before
    // they are destroyed; the World itself was constructed before them and would outlive them.
    std::atexit([] {
        World &last = world();
        last.mine = {};
        last.peers = {};
        last.server.reset();
        last.app.reset();
    });
    return w;
}

//! A fresh session of the fuzzing user when the last input got the old one closed (too many
//! bad frames, a logout, a send queue overflow); by password when a logout revoked the token.
void ensureSession(World &w)
{
    // Test clients keep every reply: start over now and then, so a long run stays small.
    const bool renew = w.inputs % 5000 == 4999;
    if (renew)
        w.peers = reconnectDevice(w.server->url(), w.peers.login);
    if (!w.peers.ok())
        fail("the other user cannot reconnect");
    if (!renew && w.mine.client && w.mine->isConnected() && !w.mine->wasDisconnected())
        return;
    w.repliesChecked = 0;
    w.mine = reconnectDevice(w.server->url(), w.mine.login);
    if (!w.mine.ok())
        w.mine = loginDevice(w.server->url(), w.me, QStringLiteral("fuzzer"));
    if (!w.mine.ok())
        fail("cannot sign in again after an input");
}

void checkReplies(World &w)
{
    const QList<QJsonObject> &replies = w.mine->allReplies();
    for (; w.repliesChecked < replies.size(); ++w.repliesChecked) {
        const QJsonObject &reply = replies.at(w.repliesChecked);
        const QString type = reply.value(QStringLiteral("type")).toString();
        if (type == QLatin1String("ack"))
            continue;
        if (type != QLatin1String("error"))
            fail("a reply that is neither ack nor error", QJsonDocument(reply).toJson());
        const QString code = reply.value(QStringLiteral("code")).toString();
        if (!errorCodeFromName(code) || reply.value(QStringLiteral("message")).toString().isEmpty())
            fail("an error without a contract code and a message", QJsonDocument(reply).toJson());
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    World &w = world();
    ensureSession(w);
    QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    input.replace("$ME", w.me.userId.toUtf8())
        .replace("$PEER", w.peer.userId.toUtf8())
        .replace("$GROUP", w.group.toUtf8())
        .replace("$DIRECT", w.direct.toUtf8());
    const QList<QByteArray> frames = input.split('\n');
    int sent = 0;
    for (const QByteArray &frame : frames) {
        if (++sent > 64)
            break;
        // Text frames carry UTF-8 (invalid UTF-8 only closes the link: tst_wsframing's part).
        w.mine->sendRaw(QString::fromUtf8(frame));
    }
    // Everything before it has been read once this is answered (replies to store calls may
    // still be on their way; the next input's checks see them).
    const QString probe = QStringLiteral("fuzz-probe-%1").arg(++w.inputs);
    w.mine->post({{"type", "heartbeat"}, {"id", probe}});
    if (!w.mine->waitForReply(probe, 20'000) && !w.mine->wasDisconnected())
        fail("the session stopped answering");
    checkReplies(w);

    // Someone else's session is untouched by whatever this one did.
    const QJsonObject other = w.peers->sendMessage(w.peers.userId(), QStringLiteral("still here"));
    if (!isAck(other))
        fail("another user's send failed", QJsonDocument(other).toJson());
    w.peers->clearEvents();
    if (!w.mine->wasDisconnected())
        w.mine->clearEvents();
    return 0;
}
