#pragma once

// Delivers event frames to many links in slices, yielding to the event loop between slices, so
// one 500-member fan-out never holds the socket thread for long. Frames reach each link in the
// order they were queued. Lives on the socket thread.

#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>
#include <functional>
#include <vector>

namespace tern::server::routing {

class ClientLink;

class FanOut : public QObject
{
    Q_OBJECT
public:
    //! One recipient: a link, and the device it was authenticated as when the event was queued
    //! (a link that logs out and back in as someone else in between must not get the event).
    struct Target
    {
        quint64 link = 0;
        QString device;
    };
    //! `resolve` maps a target to its live link, or nullptr once it is gone or changed hands.
    explicit FanOut(std::function<ClientLink *(const Target &)> resolve, QObject *parent = nullptr);

    void enqueue(const QByteArray &frame, std::vector<Target> targets);
    //! Links sent to per event-loop turn.
    static constexpr int kSlice = 256;

private:
    void drain();

    struct Batch
    {
        QByteArray frame;
        std::vector<Target> targets;
        std::size_t next = 0;
    };
    std::function<ClientLink *(const Target &)> m_resolve;
    std::deque<Batch> m_queue;
    QTimer m_timer;
};

} // namespace tern::server::routing
