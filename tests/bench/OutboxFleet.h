#pragma once

// The devices of the fault scenarios (crash, diskfull): users in one group and in 1:1 pairs, each
// with a durable-outbox client model. A message stays in its device's outbox until acked and is
// re-sent with the same id after every reconnect or failure, as the app does. verify() then
// checks the server's promise against history: every acked message present exactly once, at its
// acked seq, with gap-free seqs, and on every member's device.

#include "tests/bench/BenchEnv.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>

#include <map>

namespace tern::bench {

class OutboxFleet
{
public:
    struct Pending
    {
        QString to;
        QString content;
    };

    //! One user's device across server restarts (the socket is replaced on every reconnect).
    struct Device
    {
        QString userId;
        QString token;
        std::unique_ptr<BenchClient> client;
        std::map<QString, Pending> outbox;            // id -> message (ids sort in send order)
        QHash<QString, QPair<QString, qint64>> acked; // id -> (conversation, seq)
        QSet<QString> received;                       // "conversation/seq" seen live or by sync
        QHash<QString, qint64> contiguous;            // conversation -> all seqs up to here seen
        quint64 nextId = 0;
        bool ready = false;
    };

    struct Verdict
    {
        qint64 acked = 0;
        qint64 missing = 0;
        qint64 duplicates = 0;
        qint64 gaps = 0;
        qint64 misplaced = 0;
        qint64 undelivered = 0;
        qint64 unacked = 0;
        bool ok() const
        {
            return !missing && !duplicates && !gaps && !misplaced && !undelivered && !unacked;
        }
        //! "missing 0, duplicated 0, …" for the human table.
        QString summary() const;
        //! Adds the counts to a scenario's JSON result.
        void addTo(QJsonObject &result) const;
    };

    explicit OutboxFleet(BenchEnv &env) : m_env(env) {}

    //! `users` fresh accounts, all in one group; false on failure.
    bool setUp(int users, const QString &prefix);
    //! (Re)connect every device: auth, sync until complete, then acknowledge what it has.
    bool connectAll(int timeoutMs = 60'000);
    //! Queue a new message on device `i` (alternately to the group and to its 1:1 partner) and
    //! send it; `contentBytes` pads the text. False when the outbox already holds `maxOutbox`.
    bool queueNew(int i, int maxOutbox = 50, int contentBytes = 0);
    //! Re-send every outbox entry with its original id.
    void resendAll();
    //! Re-send until every outbox is empty (re-sending again every `retryMs`).
    bool drain(int timeoutMs, int retryMs = 1'000);
    //! Reads every conversation's history and checks it against what devices saw and were acked.
    std::optional<Verdict> verify();

    //! Called for an `error` answer to an outbox message (it stays queued).
    std::function<void(Device &, const QJsonObject &error)> onSendError;

    std::vector<Device> devices;
    QString group;
    qint64 sent = 0;

private:
    void send(Device &d, const QString &id);

    BenchEnv &m_env;
};

} // namespace tern::bench
