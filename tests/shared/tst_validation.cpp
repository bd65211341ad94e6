// Validation of user-supplied values, and the crypto helpers accounts rely on.

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include "shared/crypto/Crypto.h"
#include "shared/model/Limits.h"
#include "shared/model/Validation.h"

using namespace Qt::StringLiterals;
using namespace tern;

namespace {

QString repeated(const QString &unit, int count)
{
    QString s;
    for (int i = 0; i < count; ++i)
        s += unit;
    return s;
}

const QString kEmoji = u"🦜"_s; // one character, two UTF-16 units, four UTF-8 bytes

} // namespace

class TestValidation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void userNames_data();
    void userNames();
    void passwords_data();
    void passwords();
    void displayText_data();
    void displayText();
    void opaqueIds_data();
    void opaqueIds();
    void characterCount_data();
    void characterCount();
    void reactionEmoji_data();
    void reactionEmoji();
    void mentions();

    void tokenHash();
    void newToken();
    void passwordHashing();
    void randomId_data();
    void randomId();
    void passwordCostNames();
};

void TestValidation::initTestCase()
{
    QVERIFY(crypto::initialize());
}

void TestValidation::reactionEmoji_data()
{
    QTest::addColumn<QString>("emoji");
    QTest::addColumn<bool>("valid");
    QTest::newRow("thumbs up") << u"👍"_s << true;
    QTest::newRow("with skin tone") << u"👍🏽"_s << true;
    QTest::newRow("family (ZWJ)") << u"👨‍👩‍👧‍👦"_s << true;
    QTest::newRow("heart + VS16") << u"❤️"_s << true;
    QTest::newRow("flag") << u"🇩🇪"_s << true;
    QTest::newRow("plus one sign") << u"+"_s << true;
    QTest::newRow("32 bytes") << QString(8, QChar(0x2764)) + u"👍👍"_s << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("33 bytes") << QString(11, QChar(0x2764)) << false;
    QTest::newRow("letter") << u"a"_s << false;
    QTest::newRow("word") << u"lol"_s << false;
    QTest::newRow("digit") << u"7"_s << false;
    QTest::newRow("space") << u"👍 "_s << false;
    QTest::newRow("nbsp") << u"👍\u00a0"_s << false;
    QTest::newRow("tab") << u"\t👍"_s << false;
    QTest::newRow("newline") << u"👍\n"_s << false;
    QTest::newRow("RLO") << u"\u202e👍"_s << false;
    QTest::newRow("zero width space") << u"👍\u200b"_s << false;
    QTest::newRow("lone surrogate") << QString(QChar(0xd83d)) << false;
}

void TestValidation::reactionEmoji()
{
    QFETCH(QString, emoji);
    QFETCH(bool, valid);
    const QString wrong = validation::validateReactionEmoji(emoji);
    QVERIFY2(wrong.isEmpty() == valid, qPrintable(wrong));
}

void TestValidation::mentions()
{
    QVERIFY(validation::validateMentions({}).isEmpty());
    QVERIFY(validation::validateMentions(QStringList(50, u"u1"_s)).isEmpty());
    QVERIFY(!validation::validateMentions(QStringList(51, u"u1"_s)).isEmpty());
    QVERIFY(!validation::validateMentions({u"u1"_s, QString()}).isEmpty());
    QVERIFY(!validation::validateMentions({QString(65, u'u')}).isEmpty());
}

void TestValidation::userNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << u"alice"_s << true;
    QTest::newRow("all allowed characters") << u"a.b_c-9"_s << true;
    QTest::newRow("3 characters") << u"abc"_s << true;
    QTest::newRow("32 characters") << QString(32, u'a') << true;
    QTest::newRow("digits only") << u"123"_s << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("2 characters") << u"ab"_s << false;
    QTest::newRow("33 characters") << QString(33, u'a') << false;
    QTest::newRow("upper case") << u"Alice"_s << false;
    QTest::newRow("space") << u"al ice"_s << false;
    QTest::newRow("at sign") << u"al@ice"_s << false;
    QTest::newRow("slash") << u"../etc"_s << false;
    QTest::newRow("accented") << u"élan"_s << false;
    QTest::newRow("fullwidth letters") << u"ａｂｃ"_s << false;
    QTest::newRow("emoji") << u"ab"_s + kEmoji << false;
    QTest::newRow("newline") << u"abc\n"_s << false;
    QTest::newRow("NUL") << QString(u"ab\0c"_s) << false;
}

void TestValidation::userNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(validation::isValidUserName(name), valid);
}

void TestValidation::passwords_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("valid");
    QTest::newRow("8 ascii") << u"12345678"_s << true;
    QTest::newRow("7 ascii") << u"1234567"_s << false;
    QTest::newRow("empty") << QString() << false;
    // Characters, not bytes or UTF-16 units.
    QTest::newRow("7 accented = 14 bytes") << QString(7, u'é') << false;
    QTest::newRow("8 accented") << QString(8, u'é') << true;
    QTest::newRow("4 emoji = 8 UTF-16 units") << repeated(kEmoji, 4) << false;
    QTest::newRow("8 emoji") << repeated(kEmoji, 8) << true;
    QTest::newRow("1024 ascii") << QString(limits::kMaxPasswordChars, u'p') << true;
    QTest::newRow("1025 ascii") << QString(limits::kMaxPasswordChars + 1, u'p') << false;
    QTest::newRow("1024 emoji = 2048 UTF-16 units")
        << repeated(kEmoji, limits::kMaxPasswordChars) << true;
    QTest::newRow("1025 emoji") << repeated(kEmoji, limits::kMaxPasswordChars + 1) << false;
    QTest::newRow("spaces count") << u"        "_s << true;
}

void TestValidation::passwords()
{
    QFETCH(QString, password);
    QFETCH(bool, valid);
    QCOMPARE(validation::isValidPassword(password), valid);
}

void TestValidation::displayText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("max");
    QTest::addColumn<bool>("valid");
    const int max = limits::kMaxDisplayNameChars;
    QTest::newRow("simple") << u"Alice Smith"_s << max << true;
    QTest::newRow("unicode") << u"Zoë 🌸 小明"_s << max << true;
    QTest::newRow("inner spaces") << u" a b "_s << max << true;
    QTest::newRow("max characters") << QString(max, u'x') << max << true;
    QTest::newRow("max emoji") << repeated(kEmoji, max) << max << true;
    QTest::newRow("one more") << QString(max + 1, u'x') << max << false;
    QTest::newRow("one more emoji") << repeated(kEmoji, max + 1) << max << false;
    QTest::newRow("empty") << QString() << max << false;
    QTest::newRow("blank") << u"   "_s << max << false;
    QTest::newRow("tab only") << u"\t"_s << max << false;
    QTest::newRow("newline") << u"a\nb"_s << max << false;
    QTest::newRow("carriage return") << u"a\rb"_s << max << false;
    QTest::newRow("NUL") << QString(u"a\0b"_s) << max << false;
    QTest::newRow("escape") << u"a\u001b[31mb"_s << max << false;
    QTest::newRow("DEL") << u"a\u007fb"_s << max << false;
    QTest::newRow("C1 NEL") << u"a\u0085b"_s << max << false;
    QTest::newRow("C1 CSI") << u"a\u009bb"_s << max << false;
    QTest::newRow("no-break space is fine") << u"a\u00a0b"_s << max << true;
    // Issue 15 item 13: text that poses as other text.
    QTest::newRow("RTL override") << u"Bob \u202egnp.exe"_s << max << false;
    QTest::newRow("RTL isolate") << u"a\u2067b"_s << max << false;
    QTest::newRow("LRM") << u"a\u200eb"_s << max << false;
    QTest::newRow("zero-width space") << u"al\u200bice"_s << max << false;
    QTest::newRow("word joiner") << u"al\u2060ice"_s << max << false;
    QTest::newRow("BOM") << u"\ufeffalice"_s << max << false;
    QTest::newRow("line separator") << u"a\u2028b"_s << max << false;
    QTest::newRow("ZWJ emoji sequence is fine") << u"\U0001F468\u200d\U0001F469"_s << max << true;
    QTest::newRow("ZWNJ in Persian is fine")
        << u"\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"_s << max << true;
    QTest::newRow("lone high surrogate") << u"a"_s + QChar(0xd83d) << max << false;
    QTest::newRow("lone high surrogate inside") << u"a"_s + QChar(0xd83d) + u"b"_s << max << false;
    QTest::newRow("lone low surrogate") << QString(QChar(0xdc00)) + u"ab"_s << max << false;
    QTest::newRow("reversed pair") << QString(QChar(0xdc00)) + QChar(0xd83d) << max << false;
    QTest::newRow("device limit") << QString(limits::kMaxDeviceNameChars, u'd')
                                  << limits::kMaxDeviceNameChars << true;
    QTest::newRow("group limit") << QString(limits::kMaxGroupNameChars, u'g')
                                 << limits::kMaxGroupNameChars << true;
    QTest::newRow("group limit + 1")
        << QString(limits::kMaxGroupNameChars + 1, u'g') << limits::kMaxGroupNameChars << false;
}

void TestValidation::displayText()
{
    QFETCH(QString, text);
    QFETCH(int, max);
    QFETCH(bool, valid);
    QCOMPARE(validation::isValidDisplayText(text, max), valid);
}

void TestValidation::opaqueIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("max");
    QTest::addColumn<bool>("valid");
    const int max = limits::kMaxOpaqueIdChars;
    QTest::newRow("server id") << u"uabcdefghij234567"_s << max << true;
    QTest::newRow("uuid") << u"7c9e6679-7425-40de-944b-e07fc1f90ae7"_s << max << true;
    QTest::newRow("one character") << u"x"_s << max << true;
    QTest::newRow("spaces allowed") << u"a b"_s << max << true;
    QTest::newRow("blank allowed") << u" "_s << max << true;
    QTest::newRow("max") << QString(max, u'i') << max << true;
    QTest::newRow("max emoji") << repeated(kEmoji, max) << max << true;
    QTest::newRow("empty") << QString() << max << false;
    QTest::newRow("max + 1") << QString(max + 1, u'i') << max << false;
    QTest::newRow("control") << u"a\u0001"_s << max << false;
    QTest::newRow("newline") << u"a\n"_s << max << false;
    QTest::newRow("NUL") << QString(u"a\0"_s) << max << false;
    QTest::newRow("lone surrogate") << QString(QChar(0xd800)) << max << false;
    QTest::newRow("request id limit")
        << QString(limits::kMaxRequestIdChars, u'r') << limits::kMaxRequestIdChars << true;
}

void TestValidation::opaqueIds()
{
    QFETCH(QString, id);
    QFETCH(int, max);
    QFETCH(bool, valid);
    QCOMPARE(validation::isValidOpaqueId(id, max), valid);
}

void TestValidation::characterCount_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("count");
    QTest::newRow("empty") << QString() << 0;
    QTest::newRow("ascii") << u"abc"_s << 3;
    QTest::newRow("latin") << u"é"_s << 1;
    QTest::newRow("emoji") << kEmoji << 1;
    QTest::newRow("mixed") << u"a"_s + kEmoji + u"b"_s << 3;
    QTest::newRow("lone high surrogate") << QString(QChar(0xd800)) << 1;
    QTest::newRow("high then ascii") << QString(QChar(0xd800)) + u"a"_s << 2;
}

void TestValidation::characterCount()
{
    QFETCH(QString, text);
    QFETCH(int, count);
    QCOMPARE(validation::characterCount(text), count);
}

void TestValidation::tokenHash()
{
    const QString token = crypto::newToken();
    const QString hash = crypto::tokenHash(token);
    QCOMPARE(hash.size(), 64);
    QVERIFY(QRegularExpression(u"^[0-9a-f]{64}$"_s).match(hash).hasMatch());
    QCOMPARE(crypto::tokenHash(token), hash);
    QVERIFY(crypto::tokenHash(token + u"x"_s) != hash);
    // Stable across runs and builds: a known answer (BLAKE2b-256 of "abc").
    QCOMPARE(crypto::tokenHash(u"abc"_s),
             u"bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"_s);
}

void TestValidation::newToken()
{
    QSet<QString> tokens;
    for (int i = 0; i < 100; ++i) {
        const QString token = crypto::newToken();
        QCOMPARE(token.size(), 43); // 32 bytes, base64url without padding
        QVERIFY(QRegularExpression(u"^[A-Za-z0-9_-]{43}$"_s).match(token).hasMatch());
        QVERIFY(token.size() <= limits::kMaxTokenChars);
        tokens.insert(token);
    }
    QCOMPARE(tokens.size(), 100);
}

void TestValidation::passwordHashing()
{
    const QString password = u"correct horse 🦜"_s;
    const QString hash = crypto::hashPassword(password, crypto::PasswordCost::Min);
    QVERIFY(hash.startsWith(u"$argon2id$"_s));
    QVERIFY(crypto::verifyPassword(password, hash));
    QVERIFY(!crypto::verifyPassword(u"correct horse"_s, hash));
    QVERIFY(!crypto::verifyPassword(QString(), hash));
    QVERIFY(!crypto::verifyPassword(password, QString()));
    QVERIFY(!crypto::verifyPassword(password, u"not a hash"_s));

    // Salted: the same password never hashes the same twice.
    const QString again = crypto::hashPassword(password, crypto::PasswordCost::Min);
    QVERIFY(again != hash);
    QVERIFY(crypto::verifyPassword(password, again));
}

void TestValidation::randomId_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<int>("length");
    QTest::newRow("user") << u"u"_s << 20;
    QTest::newRow("device") << u"d"_s << 20;
    QTest::newRow("conversation, short") << u"c"_s << 8;
    QTest::newRow("no prefix") << QString() << 16;
    QTest::newRow("long prefix") << u"media-"_s << 26;
}

void TestValidation::randomId()
{
    QFETCH(QString, prefix);
    QFETCH(int, length);
    QSet<QString> ids;
    for (int i = 0; i < 50; ++i) {
        const QString id = crypto::randomId(prefix, length);
        QCOMPARE(id.size(), prefix.size() + length);
        QVERIFY(id.startsWith(prefix));
        QVERIFY2(QRegularExpression(u"^[a-z2-7]*$"_s).match(id.mid(prefix.size())).hasMatch(),
                 qPrintable(id));
        QVERIFY(validation::isValidOpaqueId(id, limits::kMaxOpaqueIdChars));
        ids.insert(id);
    }
    QCOMPARE(ids.size(), 50);
    QCOMPARE(crypto::randomId(u"u"_s).size(), 21);
}

void TestValidation::passwordCostNames()
{
    crypto::PasswordCost cost = crypto::PasswordCost::Moderate;
    QVERIFY(crypto::parsePasswordCost(u"min"_s, &cost));
    QCOMPARE(cost, crypto::PasswordCost::Min);
    QVERIFY(crypto::parsePasswordCost(u"interactive"_s, &cost));
    QCOMPARE(cost, crypto::PasswordCost::Interactive);
    QVERIFY(crypto::parsePasswordCost(u"moderate"_s, &cost));
    QCOMPARE(cost, crypto::PasswordCost::Moderate);
    QVERIFY(!crypto::parsePasswordCost(u"extreme"_s, &cost));
    QCOMPARE(cost, crypto::PasswordCost::Moderate);
}

QTEST_APPLESS_MAIN(TestValidation)

#include "tst_validation.moc"
