#include "BackoffPolicy.h"

#include <QtGlobal>

#include <algorithm>
#include <cmath>

namespace tern::app::client {

BackoffPolicy::BackoffPolicy(int initialMs, int maxMs, double jitter)
    : m_initialMs(std::max(1, initialMs)), m_maxMs(std::max(m_initialMs, maxMs)),
      m_jitter(std::clamp(jitter, 0.0, 1.0))
{}

int BackoffPolicy::baseDelayMs(int attempt) const
{
    // Doubling in double cannot overflow; the cap keeps the result an int.
    const double delay = double(m_initialMs) * std::pow(2.0, std::clamp(attempt, 0, 62));
    return int(std::min(delay, double(m_maxMs)));
}

int BackoffPolicy::nextDelayMs(QRandomGenerator *random)
{
    const int base = baseDelayMs(m_attempt);
    if (m_attempt < 64)
        ++m_attempt;
    const double factor = 1.0 + m_jitter * (2.0 * random->generateDouble() - 1.0);
    return std::max(1, int(std::lround(base * factor)));
}

} // namespace tern::app::client
