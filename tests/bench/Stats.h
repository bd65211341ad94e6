#pragma once

// Latency samples and their percentiles, in microseconds.

#include <QJsonObject>
#include <QString>

#include <vector>

namespace tern::bench {

class Stats
{
public:
    void add(double micros) { m_samples.push_back(micros); }
    std::size_t count() const { return m_samples.size(); }
    //! p in [0, 100]; 0 when empty.
    double percentile(double p);
    double max();
    //! "p50 1.2 ms, p99 3.4 ms, ..." and the same as JSON (milliseconds).
    QString summary();
    QJsonObject json();

private:
    void sort();
    std::vector<double> m_samples;
    bool m_sorted = false;
};

} // namespace tern::bench
