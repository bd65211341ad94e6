// The app's colours against WCAG 2.x AA: white initials on every avatar hue, group sender names
// on the other-bubble surface, the teal accent as the selection of the application palette
// (also after a palette change) and the selected conversation row drawn by the real delegate.

#include "app/models/ConversationListModel.h"
#include "app/ui/AccentPalette.h"
#include "app/ui/ConversationDelegate.h"
#include "app/ui/Theme.h"

#include <QApplication>
#include <QDir>
#include <QListView>
#include <QStandardItemModel>
#include <QStyle>
#include <QStyleFactory>
#include <QtTest>

using tern::app::models::ConversationListModel;
using tern::app::ui::AccentPalette;
using tern::app::ui::ConversationDelegate;
using tern::app::ui::Theme;

namespace {

QPalette lightPalette()
{
    QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion"));
    const QPalette palette = fusion->standardPalette();
    delete fusion;
    return palette;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b);
    const QColor base(0x1e, 0x1e, 0x1e);
    const QColor text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6)); // Fusion's blue
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x00, 0x00, 0xff));
    return p;
}

QString describe(const QColor &a, const QColor &b)
{
    return QStringLiteral("%1 on %2: %3:1")
        .arg(a.name(), b.name())
        .arg(Theme::contrast(a, b), 0, 'f', 2);
}

bool near(const QColor &a, const QColor &b, int tolerance = 8)
{
    return qAbs(a.red() - b.red()) <= tolerance && qAbs(a.green() - b.green()) <= tolerance &&
           qAbs(a.blue() - b.blue()) <= tolerance;
}

} // namespace

class TestTheme : public QObject
{
    Q_OBJECT

private slots:
    void contrastFormula()
    {
        QCOMPARE(qRound(Theme::contrast(Qt::white, Qt::black) * 100), 2100);
        QCOMPARE(qRound(Theme::contrast(Qt::white, Qt::white) * 100), 100);
        // WCAG's well-known pair: #767676 on white just passes AA, #777777 just fails.
        QVERIFY(Theme::contrast(QColor(0x76, 0x76, 0x76), Qt::white) >= 4.5);
        QVERIFY(Theme::contrast(QColor(0x77, 0x77, 0x77), Qt::white) < 4.5);
        QCOMPARE(Theme::contrast(QColor(0x12, 0x34, 0x56), Qt::white),
                 Theme::contrast(Qt::white, QColor(0x12, 0x34, 0x56)));
        const QColor fixed = Theme::withContrast(QColor(0xa0, 0xa0, 0x00), Qt::white, 4.5);
        QVERIFY2(Theme::contrast(fixed, Qt::white) >= 4.5, qPrintable(describe(fixed, Qt::white)));
    }

    void everyHueMeetsAA_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::newRow("light") << lightPalette();
        QTest::newRow("dark") << darkPalette();
    }
    void everyHueMeetsAA()
    {
        QFETCH(QPalette, palette);
        const QPalette accented = Theme::withAccent(palette);
        const QColor row = accented.color(QPalette::Highlight);
        const QColor bubble = Theme::otherBubble(palette);
        for (int hue = 0; hue < 360; ++hue) {
            const QColor avatar = Theme::avatarColor(hue, palette);
            QVERIFY2(Theme::contrast(Qt::white, avatar) >= 4.5,
                     qPrintable(QStringLiteral("hue %1: initials ").arg(hue) +
                                describe(Qt::white, avatar)));
            const QColor name = Theme::senderNameColor(hue, palette);
            QVERIFY2(Theme::contrast(name, bubble) >= 4.5,
                     qPrintable(QStringLiteral("hue %1: sender name ").arg(hue) +
                                describe(name, bubble)));
            // On the selected row an avatar stands out by itself or by its ring.
            const qreal separation = qMax(Theme::contrast(avatar, row),
                                          Theme::contrast(Theme::avatarRing(accented), row));
            QVERIFY2(separation >= 3.0,
                     qPrintable(QStringLiteral("hue %1: avatar on row ").arg(hue) +
                                describe(avatar, row)));
        }
    }

    void selectionIsTheAccent_data() { everyHueMeetsAA_data(); }
    void selectionIsTheAccent()
    {
        QFETCH(QPalette, palette);
        const QPalette accented = Theme::withAccent(palette);
        const QColor accent = Theme::accent(palette);
        for (const auto group : {QPalette::Active, QPalette::Inactive}) {
            QCOMPARE(accented.color(group, QPalette::Highlight), accent);
            const QColor on = accented.color(group, QPalette::HighlightedText);
            QVERIFY2(Theme::contrast(on, accent) >= 4.5, qPrintable(describe(on, accent)));
        }
        const QColor link = accented.color(QPalette::Link);
        const QColor base = palette.color(QPalette::Base);
        QVERIFY2(Theme::contrast(link, base) >= 4.5, qPrintable(describe(link, base)));
        QVERIFY(Theme::contrast(Theme::selectedText(accented), accent) >= 4.5);
    }

    void applicationPaletteFollowsChanges()
    {
        AccentPalette::install();
        AccentPalette::install(); // idempotent
        QCOMPARE(QApplication::palette().color(QPalette::Highlight),
                 Theme::accent(QApplication::palette()));
        // A system switch to dark arrives as a new application palette with Fusion's blue.
        QApplication::setPalette(darkPalette());
        QTRY_COMPARE(QApplication::palette().color(QPalette::Highlight),
                     Theme::accent(darkPalette()));
        QVERIFY(Theme::isDark(QApplication::palette()));
        QApplication::setPalette(lightPalette());
        QTRY_COMPARE(QApplication::palette().color(QPalette::Highlight),
                     Theme::accent(lightPalette()));
    }

    void selectedConversationRow_data() { everyHueMeetsAA_data(); }
    void selectedConversationRow()
    {
        QFETCH(QPalette, palette);
        AccentPalette::install();
        QApplication::setPalette(palette);
        using Role = ConversationListModel::Role;
        QStandardItemModel model;
        auto *item = new QStandardItem;
        item->setData(QStringLiteral("Alice"), Role::NameRole);
        item->setData(QStringLiteral("direct"), Role::KindRole);
        item->setData(QStringLiteral("See you at ten"), Role::LastMessagePreviewRole);
        item->setData(QDateTime::currentMSecsSinceEpoch(), Role::LastActivityRole);
        item->setData(3, Role::UnreadCountRole);
        item->setData(QStringLiteral("AL"), Role::AvatarInitialsRole);
        item->setData(215, Role::AvatarHueRole); // a blue avatar: 1.09:1 on Fusion's selection
        model.appendRow(item);
        QListView view;
        view.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        view.setModel(&model);
        view.setItemDelegate(new ConversationDelegate(&view));
        view.resize(360, 120);
        view.selectionModel()->select(model.index(0, 0), QItemSelectionModel::Select);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(view.visualRect(model.index(0, 0)).height() > 0);
        const QImage shot = view.viewport()->grab().toImage();
        const QRect rect = view.visualRect(model.index(0, 0));
        shot.save(QDir(qEnvironmentVariable("TERN_TEST_OUTDIR", QDir::tempPath()))
                      .filePath(QStringLiteral("theme-row-%1.png").arg(QTest::currentDataTag())));
        const QColor accent = Theme::accent(QApplication::palette());
        // The row is teal (not Fusion's blue) and the avatar has a ring that reads on it.
        const QColor background = shot.pixelColor(rect.left() + 2, rect.top() + 2);
        QVERIFY2(near(background, accent), qPrintable(background.name() + " vs " + accent.name()));
        const qreal unit = QFontMetricsF(view.font()).height();
        const qreal pad = std::round(unit * 0.5);
        const QPoint ringPoint(int(pad * 1.5), int(rect.top() + rect.height() / 2.0));
        const QColor ring = shot.pixelColor(ringPoint);
        QVERIFY2(Theme::contrast(ring, accent) >= 3.0, qPrintable(describe(ring, accent)));
        QApplication::setPalette(lightPalette());
    }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
