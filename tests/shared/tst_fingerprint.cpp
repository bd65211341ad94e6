// Certificate fingerprints: the forms ternd prints and the app shows, and reading pasted ones.

#include <QCryptographicHash>
#include <QTest>

#include "shared/model/CertificateFingerprint.h"

using namespace Qt::StringLiterals;
using namespace tern;

namespace {

// SHA-256("abc"), formatted by `openssl dgst -sha256 -c` and by an independent implementation
// of Syncthing's device-ID encoding (base32, Luhn mod 32 per 13 characters, groups of 7).
const QByteArray kDigest = QCryptographicHash::hash("abc", QCryptographicHash::Sha256);
const QString kHex = u"BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:"
                     u"B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD"_s;
const QString kGrouped = u"XJ4BNP4-PAHH6UO-QKBIDPF-3LRCEOI-YAGYNDS-YLXVHFZ-UCD7WD4-QACWWQW"_s;

} // namespace

class TestFingerprint : public QObject
{
    Q_OBJECT

private slots:
    void formats()
    {
        QCOMPARE(fingerprint::hex(kDigest), kHex);
        QCOMPARE(fingerprint::grouped(kDigest), kGrouped);
        QCOMPARE(fingerprint::sha256("abc"), kDigest);
    }

    void parsesWhatPeoplePaste_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("grouped") << kGrouped;
        QTest::newRow("grouped, lower case") << kGrouped.toLower();
        QTest::newRow("grouped, spaces for dashes") << QString(kGrouped).replace(u'-', u' ');
        QTest::newRow("grouped, no separators") << QString(kGrouped).remove(u'-');
        QTest::newRow("grouped, O/I/B read as 0/1/8")
            << QString(kGrouped).replace(u'O', u'0').replace(u'I', u'1').replace(u'B', u'8');
        QTest::newRow("hex") << kHex;
        QTest::newRow("hex, lower case") << kHex.toLower();
        QTest::newRow("hex, no colons") << QString(kHex).remove(u':');
        QTest::newRow("hex, padded") << u"  "_s + kHex + u"\n"_s;
    }
    void parsesWhatPeoplePaste()
    {
        QFETCH(QString, text);
        const std::optional<QByteArray> digest = fingerprint::parse(text);
        QVERIFY(digest);
        QCOMPARE(*digest, kDigest);
    }

    void refusesTyposAndOtherText_data()
    {
        QTest::addColumn<QString>("text");
        QString oneWrong = kGrouped;
        oneWrong[3] = oneWrong[3] == u'C' ? u'D' : u'C';
        QTest::newRow("grouped, one character wrong") << oneWrong;
        QString swapped = kGrouped;
        std::swap(swapped[8], swapped[9]); // "PA" -> "AP"
        QTest::newRow("grouped, neighbours swapped") << swapped;
        QString wrongCheck = kGrouped;
        wrongCheck[6] = u'A';
        QTest::newRow("grouped, wrong check character") << wrongCheck;
        QTest::newRow("grouped, group missing") << kGrouped.left(55);
        QString hexWrong = kHex;
        hexWrong[0] = u'G';
        QTest::newRow("hex, not hex") << hexWrong;
        QTest::newRow("hex, short") << kHex.left(92);
        QTest::newRow("empty") << QString();
        QTest::newRow("words") << u"yes, trust it"_s;
    }
    void refusesTyposAndOtherText()
    {
        QFETCH(QString, text);
        QVERIFY(!fingerprint::parse(text));
    }

    void roundTripsManyDigests()
    {
        for (int i = 0; i < 500; ++i) {
            const QByteArray digest = fingerprint::sha256(QByteArray::number(i));
            QCOMPARE(fingerprint::parse(fingerprint::grouped(digest)).value_or(QByteArray()),
                     digest);
            QCOMPARE(fingerprint::parse(fingerprint::hex(digest)).value_or(QByteArray()), digest);
            QCOMPARE(fingerprint::grouped(digest).size(), 63);
        }
    }
};

QTEST_APPLESS_MAIN(TestFingerprint)

#include "tst_fingerprint.moc"
