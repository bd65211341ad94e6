#pragma once

//! A translator that answers nothing and notes every lookup it sees (tests, header-only).
//
// QCoreApplication asks the most recently installed translator first, so when this one is
// installed before the app's, a lookup reaches it only when no catalogue had a translation:
// in German, that is a string the user sees in English.

#include <QMutex>
#include <QSet>
#include <QStringList>
#include <QTranslator>

namespace tern::test {

class MissedTranslations : public QTranslator
{
public:
    using QTranslator::QTranslator;

    QString translate(const char *context, const char *source, const char *disambiguation,
                      int n) const override
    {
        Q_UNUSED(disambiguation);
        Q_UNUSED(n);
        if (context && source && *source) {
            const QMutexLocker lock(&m_mutex);
            m_missed.insert(QString::fromUtf8(context) + QStringLiteral(": ") +
                            QString::fromUtf8(source));
        }
        return {};
    }
    bool isEmpty() const override { return false; }

    //! The lookups that found no translation, and forgets them all: the app's own, and those of
    //! the Qt classes in `qtContexts` (the ones Tern bundles German for). Other Qt lookups
    //! ("QProcess: Process crashed") are left to Qt's catalogue.
    QStringList takeMisses(const QSet<QString> &qtContexts)
    {
        const QMutexLocker lock(&m_mutex);
        QStringList misses;
        for (const QString &miss : std::as_const(m_missed)) {
            const bool qtContext =
                miss.size() > 1 && miss.at(0) == QLatin1Char('Q') && miss.at(1).isUpper();
            if (!qtContext || qtContexts.contains(miss.section(QStringLiteral(": "), 0, 0)))
                misses << miss;
        }
        m_missed.clear();
        misses.sort();
        return misses;
    }

private:
    mutable QMutex m_mutex;
    mutable QSet<QString> m_missed;
};

} // namespace tern::test
