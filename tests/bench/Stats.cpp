#include "Stats.h"

#include <algorithm>
#include <cmath>

namespace tern::bench {

void Stats::sort()
{
    if (!m_sorted) {
        std::sort(m_samples.begin(), m_samples.end());
        m_sorted = true;
    }
}

double Stats::percentile(double p)
{
    if (m_samples.empty())
        return 0;
    sort();
    const double rank = p / 100.0 * double(m_samples.size() - 1);
    return m_samples[std::size_t(std::llround(rank))];
}

double Stats::max()
{
    return percentile(100);
}

QString Stats::summary()
{
    auto ms = [](double us) { return QString::number(us / 1000.0, 'f', 2); };
    return QStringLiteral("p50 %1 ms, p99 %2 ms, p99.9 %3 ms, max %4 ms (n=%5)")
        .arg(ms(percentile(50)), ms(percentile(99)), ms(percentile(99.9)), ms(max()))
        .arg(count());
}

QJsonObject Stats::json()
{
    return QJsonObject{{"count", double(count())},
                       {"p50_ms", percentile(50) / 1000.0},
                       {"p99_ms", percentile(99) / 1000.0},
                       {"p999_ms", percentile(99.9) / 1000.0},
                       {"max_ms", max() / 1000.0}};
}

} // namespace tern::bench
