// The app's translations: lrelease-compiled .qm files embedded under :/i18n by tern_app_ui, and
// AppController::installTranslations loading them (German: everything; English: plural forms).

#include "app/ui/AppController.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFile>
#include <QLocale>
#include <QTranslator>
#include <QtTest>

using tern::app::ui::AppController;

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

    static QString translated(const char *context, const char *source, int n = -1)
    {
        return QCoreApplication::translate(context, source, nullptr, n);
    }

private slots:
    void resourcesAreEmbedded()
    {
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/tern_de.qm")));
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/tern_en.qm")));
    }

    void german()
    {
        removeTranslators();
        AppController::installTranslations(QStringLiteral("de"));
        QCOMPARE(QLocale().language(), QLocale::German);
        QCOMPARE(translated("ConversationPane", "Chats"), QStringLiteral("Chats"));
        QCOMPARE(translated("ConversationPane", "New chat"), QStringLiteral("Neuer Chat"));
        QCOMPARE(translated("ConversationPane", "Search chats (Ctrl+K)"),
                 QStringLiteral("Chats durchsuchen (Ctrl+K)"));
        QCOMPARE(translated("Composer", "Write a message…"), QStringLiteral("Nachricht schreiben…"));
        QCOMPARE(translated("ChatPane", "last seen today at %1"), QStringLiteral("zuletzt online heute um %1"));
        QCOMPARE(translated("ConnectWidget", "&Sign in"), QStringLiteral("&Anmelden"));
        // Plural forms: German has singular and plural.
        QCOMPARE(translated("ChatPane", "%n member(s)", 1), QStringLiteral("1 Mitglied"));
        QCOMPARE(translated("ChatPane", "%n member(s)", 3), QStringLiteral("3 Mitglieder"));
        QCOMPARE(translated("TrayNotifier", "%n new message(s)", 1), QStringLiteral("1 neue Nachricht"));
        QCOMPARE(translated("TrayNotifier", "%n new message(s)", 5), QStringLiteral("5 neue Nachrichten"));
        // The same source in two contexts may be translated differently.
        QCOMPARE(translated("ConnectionBanner", "Connecting…"), QStringLiteral("Verbindung wird hergestellt…"));
        QCOMPARE(translated("ConversationPane", "Connecting…"), QStringLiteral("Verbinde…"));
    }

    void englishPluralOnly()
    {
        removeTranslators();
        AppController::installTranslations(QStringLiteral("en"));
        QCOMPARE(QLocale().language(), QLocale::English);
        QCOMPARE(translated("ChatPane", "%n member(s)", 1), QStringLiteral("1 member"));
        QCOMPARE(translated("ChatPane", "%n member(s)", 3), QStringLiteral("3 members"));
        QCOMPARE(translated("JumpToLatestButton", "%n new message(s)", 1), QStringLiteral("1 new message"));
        QCOMPARE(translated("JumpToLatestButton", "%n new message(s)", 2), QStringLiteral("2 new messages"));
        // Everything else stays the English source text.
        QCOMPARE(translated("ConversationPane", "New chat"), QStringLiteral("New chat"));
    }

    void cleanupTestCase() { removeTranslators(); }
};

QTEST_MAIN(TstTranslations)
#include "tst_translations.moc"
