// The app's translations: lrelease-compiled .qm files embedded under :/i18n by tern_app_ui, and
// AppController::installTranslations loading them (German: everything; English: plural forms).
// Lookups go through the classes' own tr(), so a context in the .ts files that does not match
// the one moc gives a namespaced class fails here. The committed .ts files must be complete and
// current: scripts/update-translations.sh run on today's sources must change nothing.

#include "app/models/MemberListModel.h"
#include "app/models/MessageText.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/ConnectWidget.h"
#include "app/ui/ConnectionBanner.h"
#include "app/ui/ConversationPane.h"
#include "app/ui/GroupInfoPanel.h"
#include "app/ui/JumpToLatestButton.h"
#include "app/ui/MessageDelegate.h"
#include "app/ui/TrayNotifier.h"
#include "tests/app/TsCatalog.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QKeySequence>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

using namespace tern::app;
using tern::app::ui::AppController;
using tern::test::readTs;
using tern::test::sourceTsPath;
using tern::test::TsMessage;

class TstTranslations : public QObject
{
    Q_OBJECT

private:
    static void removeTranslators()
    {
        const auto translators = qApp->findChildren<QTranslator *>();
        for (QTranslator *translator : translators) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
    }

    static QList<TsMessage> committed(const QString &name)
    {
        QString error;
        const QList<TsMessage> messages = readTs(sourceTsPath(name), &error);
        if (!error.isEmpty())
            qWarning("%s", qPrintable(error));
        return messages;
    }

private slots:
    void resourcesAreEmbedded()
    {
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/tern_de.qm")));
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/tern_en.qm")));
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/qt_de.qm")));
    }

    //! Qt's own strings in Tern's windows are German even without Qt's catalogue installed.
    void germanQtStrings()
    {
        removeTranslators();
        AppController::installTranslations(QStringLiteral("de"));
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"),
                 QStringLiteral("Abbrechen"));
        QCOMPARE(QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText),
                 QStringLiteral("Strg+C"));
    }

    void german()
    {
        removeTranslators();
        AppController::installTranslations(QStringLiteral("de"));
        QCOMPARE(QLocale().language(), QLocale::German);
        QCOMPARE(ui::ConversationPane::tr("Chats"), QStringLiteral("Chats"));
        QCOMPARE(ui::ConversationPane::tr("New chat"), QStringLiteral("Neuer Chat"));
        QCOMPARE(ui::ConversationPane::tr("Search chats (Ctrl+K)"),
                 QStringLiteral("Chats durchsuchen (Strg+K)"));
        QCOMPARE(ui::Composer::tr("Write a message…"), QStringLiteral("Nachricht schreiben…"));
        QCOMPARE(ui::ChatPane::tr("last seen today at %1"),
                 QStringLiteral("zuletzt online heute um %1"));
        QCOMPARE(ui::ConnectWidget::tr("&Sign in"), QStringLiteral("&Anmelden"));
        QCOMPARE(ui::MessageDelegate::tr("Today"), QStringLiteral("Heute"));
        QCOMPARE(models::MemberListModel::tr("owner"), QStringLiteral("Eigentümer"));
        QCOMPARE(models::MemberListModel::tr("member"), QStringLiteral("Mitglied"));
        QCOMPARE(models::MessageText::tr("Photo"), QStringLiteral("Foto"));
        // Plural forms: German has singular and plural.
        QCOMPARE(ui::ChatPane::tr("%n member(s)", nullptr, 1), QStringLiteral("1 Mitglied"));
        QCOMPARE(ui::ChatPane::tr("%n member(s)", nullptr, 3), QStringLiteral("3 Mitglieder"));
        QCOMPARE(ui::TrayNotifier::tr("%n new message(s)", nullptr, 1),
                 QStringLiteral("1 neue Nachricht"));
        QCOMPARE(ui::TrayNotifier::tr("%n new message(s)", nullptr, 5),
                 QStringLiteral("5 neue Nachrichten"));
        // The same source in two contexts may be translated differently.
        QCOMPARE(ui::ConnectionBanner::tr("Connecting…"),
                 QStringLiteral("Verbindung wird hergestellt…"));
        QCOMPARE(ui::ConversationPane::tr("Connecting…"), QStringLiteral("Verbinde…"));
    }

    void germanDatesFollowTheLocale()
    {
        removeTranslators();
        AppController::installTranslations(QStringLiteral("de"));
        const QDate today(2026, 12, 10); // a Thursday
        QCOMPARE(ui::MessageDelegate::dayLabel(today, today), QStringLiteral("Heute"));
        QCOMPARE(ui::MessageDelegate::dayLabel(today.addDays(-1), today),
                 QStringLiteral("Gestern"));
        QCOMPARE(ui::MessageDelegate::dayLabel(today.addDays(-3), today), QStringLiteral("Montag"));
        QCOMPARE(ui::MessageDelegate::dayLabel(QDate(2026, 3, 2), today),
                 QStringLiteral("Montag, 2. März 2026"));
        QCOMPARE(ui::MessageDelegate::shortTime(QTime(14, 5, 9)), QStringLiteral("14:05"));
    }

    void englishPluralOnly()
    {
        removeTranslators();
        AppController::installTranslations(QStringLiteral("en"));
        QCOMPARE(QLocale().language(), QLocale::English);
        QCOMPARE(ui::ChatPane::tr("%n member(s)", nullptr, 1), QStringLiteral("1 member"));
        QCOMPARE(ui::ChatPane::tr("%n member(s)", nullptr, 3), QStringLiteral("3 members"));
        QCOMPARE(ui::GroupInfoPanel::tr("%n member(s)", nullptr, 3), QStringLiteral("3 members"));
        QCOMPARE(ui::JumpToLatestButton::tr("%n new message(s)", nullptr, 1),
                 QStringLiteral("1 new message"));
        QCOMPARE(ui::JumpToLatestButton::tr("%n new message(s)", nullptr, 2),
                 QStringLiteral("2 new messages"));
        // Everything else stays the English source text.
        QCOMPARE(ui::ConversationPane::tr("New chat"), QStringLiteral("New chat"));
    }

    //! Every plural string of the app reads right in English, looked up in its real context.
    void englishPluralsEverywhere()
    {
        removeTranslators();
        AppController::installTranslations(QStringLiteral("en"));
        const QList<TsMessage> english = committed(QStringLiteral("tern_en.ts"));
        QVERIFY(english.size() >= 10);
        for (const TsMessage &message : english) {
            QVERIFY2(message.numerus, qPrintable(message.source));
            QCOMPARE(message.translations.size(), 2);
            for (int n : {1, 3}) {
                const QString shown =
                    QCoreApplication::translate(message.context.toUtf8().constData(),
                                                message.source.toUtf8().constData(), nullptr, n);
                QString expected = message.translations.at(n == 1 ? 0 : 1);
                expected.replace(QStringLiteral("%n"), QString::number(n));
                QCOMPARE(shown, expected);
                QVERIFY2(!shown.contains(QStringLiteral("(s)")), qPrintable(shown));
            }
        }
    }

    //! tern_de.ts translates every string: nothing unfinished, empty or left over.
    void germanCatalogIsComplete()
    {
        // A few strings are the same in German; anything else identical to its source was
        // copied, not translated.
        static const QRegularExpression sameInGerman(
            QStringLiteral("^(Tern|Info|Chats|online|offline|Offline|Server|Version|in|kB|MB|GB|TB|"
                           "[\\s%\\d:,.·@()])*$"));
        const QList<TsMessage> german = committed(QStringLiteral("tern_de.ts"));
        QVERIFY(german.size() > 250);
        QStringList problems;
        for (const TsMessage &message : german) {
            const QString where = message.context + QStringLiteral(": ") + message.source;
            if (!message.type.isEmpty())
                problems << message.type + QStringLiteral(" — ") + where;
            if (message.translations.size() != (message.numerus ? 2 : 1) ||
                message.translations.contains(QString()))
                problems << QStringLiteral("empty or missing plural form — ") + where;
            if (!message.numerus && message.translations.value(0) == message.source &&
                !sameInGerman.match(message.source).hasMatch())
                problems << QStringLiteral("not translated (same as English) — ") + where;
        }
        QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("Fix translations/tern_de.ts:\n") +
                                                problems.join(QLatin1Char('\n'))));
    }

    //! The committed .ts files hold exactly what scripts/update-translations.sh extracts from the
    //! sources today: a new tr() string without a German translation fails here.
    void catalogsAreCurrent()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QStringList names{QStringLiteral("tern_de.ts"), QStringLiteral("tern_en.ts")};
        for (const QString &name : names)
            QVERIFY(QFile::copy(sourceTsPath(name), dir.filePath(name)));
        QProcess script;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TERN_TS_DIR"), dir.path());
        env.insert(QStringLiteral("LUPDATE"), QStringLiteral(TERN_LUPDATE));
        script.setProcessEnvironment(env);
        script.setProcessChannelMode(QProcess::ForwardedChannels);
        script.start(QStringLiteral("bash"),
                     {QStringLiteral(TERN_SOURCE_DIR "/scripts/update-translations.sh")});
        QVERIFY(script.waitForFinished(120'000));
        QCOMPARE(script.exitCode(), 0);
        for (const QString &name : names) {
            QString error;
            const QList<TsMessage> fresh = readTs(dir.filePath(name), &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QStringList before, after;
            for (const TsMessage &message : committed(name))
                before << message.key();
            for (const TsMessage &message : fresh)
                after << message.key();
            QStringList added, removed;
            for (const QString &key : after)
                if (!before.contains(key))
                    added << key.section(QLatin1Char('\x1f'), 0, 1);
            for (const QString &key : before)
                if (!after.contains(key))
                    removed << key.section(QLatin1Char('\x1f'), 0, 1);
            QVERIFY2(
                added.isEmpty() && removed.isEmpty(),
                qPrintable(name +
                           QStringLiteral(" is out of date: run scripts/update-translations.sh "
                                          "and translate.\nNew or changed:\n") +
                           added.join(QLatin1Char('\n')) + QStringLiteral("\nGone:\n") +
                           removed.join(QLatin1Char('\n'))));
        }
    }

    void cleanupTestCase() { removeTranslators(); }
};

QTEST_MAIN(TstTranslations)
#include "tst_translations.moc"
