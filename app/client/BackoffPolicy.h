#pragma once

//! Reconnect delays: exponential from `initialMs`, capped at `maxMs`, each with ±`jitter`
//! random spread so that many clients cut off together do not come back together.
//
// A pure value type: no timers, no threads; the random source is injectable for tests.

#include <QRandomGenerator>

namespace tern::app::client {

class BackoffPolicy
{
public:
    BackoffPolicy(int initialMs = 500, int maxMs = 30'000, double jitter = 0.3);

    //! The delay before the next attempt (jittered); advances the attempt counter.
    int nextDelayMs(QRandomGenerator *random = QRandomGenerator::global());
    //! The un-jittered delay of attempt `attempt` (0-based): initial * 2^attempt, capped.
    int baseDelayMs(int attempt) const;
    //! After a successful (re)authentication.
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }

    int initialMs() const { return m_initialMs; }
    int maxMs() const { return m_maxMs; }
    double jitter() const { return m_jitter; }

private:
    int m_initialMs;
    int m_maxMs;
    double m_jitter;
    int m_attempt = 0;
};

} // namespace tern::app::client
