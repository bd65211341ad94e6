// The chat's look through the real app (issue 16, "A look of its own"): find in chat with its
// match count, older/newer buttons and keys and the highlights in the bubbles; colour emoji in
// bubbles and larger emoji-only messages. Real AppControllers against a child ternd, offscreen.

#include "app/client/ChatClient.h"
#include "app/client/Outbox.h"
#include "app/models/MessageListModel.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatHeader.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/ConversationPane.h"
#include "app/ui/Emoji.h"
#include "app/ui/FindBar.h"
#include "app/ui/MainWindow.h"
#include "app/ui/MessageDelegate.h"
#include "app/ui/MessageView.h"
#include "app/ui/Theme.h"
#include "shared/crypto/Crypto.h"
#include "tests/app/AppInstance.h"
#include "tests/app/AppPair.h"
#include "tests/support/TestUtil.h"

#include <QApplication>

#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QScopeGuard>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QToolButton>
#include <algorithm>

using namespace tern;
using namespace tern::app;
using tern::test::spinUntil;
using MessageRole = models::MessageListModel::Role;

namespace {

constexpr int kWaitMs = 15'000;

int rowWithText(models::MessageListModel *model, const QString &text)
{
    for (int row = 0; model && row < model->rowCount(); ++row) {
        if (model->index(row).data(MessageRole::TextRole).toString() == text)
            return row;
    }
    return -1;
}

//! Pixels of `image` inside `rect` within a small distance of `color`.
int pixelsNear(const QImage &image, const QRect &rect, const QColor &color, int tolerance = 10)
{
    int count = 0;
    const QRect inside = rect.intersected(image.rect());
    for (int y = inside.top(); y <= inside.bottom(); ++y) {
        for (int x = inside.left(); x <= inside.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (qAbs(c.red() - color.red()) <= tolerance &&
                qAbs(c.green() - color.green()) <= tolerance &&
                qAbs(c.blue() - color.blue()) <= tolerance)
                ++count;
        }
    }
    return count;
}

} // namespace

class TestAppLook : public QObject, private test::AppPair
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init() { startServer(); }
    void cleanup() { closeAll(); }
    void findInChatCountsStepsAndHighlights();
    void emojiOnlyMessagesAreRecognised();
    void emojiInBubblesAreColourAndLarger();

private:
    //! Alice's open chat with Bob after sending `texts` (the first through the composer).
    models::MessageListModel *chatWithBob(const QStringList &texts);
    QModelIndex viewIndex(const QString &text) const;
    QRect bubbleOf(const QString &text) const;
    bool visible(const QString &text) const;
};

void TestAppLook::initTestCase()
{
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    ui::AppController::installTranslations(QStringLiteral("en"));
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

models::MessageListModel *TestAppLook::chatWithBob(const QStringList &texts)
{
    m_a.activate();
    m_a.window()->openDirectChat(m_bobId, QStringLiteral("Bob"));
    m_a.send(texts.first());
    if (!spinUntil([&] { return !m_a.chat()->currentConversation().isEmpty(); }, kWaitMs))
        return nullptr;
    models::MessageListModel *model = m_a.chat()->messageView()->messageModel();
    for (const QString &text : texts.mid(1))
        m_a.client()->outbox()->sendText(model->sendAddress(), text);
    // Every text, not only the last: the first one reaches this model from the cache, when the
    // pane adopts the new chat, not as a live row.
    const auto allShown = [&] {
        return std::all_of(texts.cbegin(), texts.cend(),
                           [&](const QString &text) { return rowWithText(model, text) >= 0; });
    };
    return spinUntil(allShown, kWaitMs) ? model : nullptr;
}

QModelIndex TestAppLook::viewIndex(const QString &text) const
{
    ui::MessageView *view = m_a.chat()->messageView();
    return view->model()->index(rowWithText(view->messageModel(), text), 0);
}

QRect TestAppLook::bubbleOf(const QString &text) const
{
    ui::MessageView *view = m_a.chat()->messageView();
    const QModelIndex index = viewIndex(text);
    QStyleOptionViewItem option;
    option.initFrom(view->viewport());
    option.font = view->font();
    option.rect = view->visualRect(index);
    option.widget = view;
    return view->messageDelegate()->bubbleRect(option, index);
}

bool TestAppLook::visible(const QString &text) const
{
    ui::MessageView *view = m_a.chat()->messageView();
    return view->viewport()->rect().intersects(view->visualRect(viewIndex(text)));
}

void TestAppLook::findInChatCountsStepsAndHighlights()
{
    signInPair();
    QStringList texts = {QStringLiteral("apple pie for lunch"), QStringLiteral("banana")};
    for (int i = 0; i < 25; ++i) // pushes the oldest apple far above the visible part
        texts << QStringLiteral("filler %1").arg(i);
    texts << QStringLiteral("Apple juice") << QStringLiteral("cherry")
          << QStringLiteral("green apple") << QStringLiteral("pineapple");
    models::MessageListModel *model = chatWithBob(texts);
    QVERIFY(model);
    ui::ChatPane *chat = m_a.chat();
    ui::MessageView *view = chat->messageView();
    ui::MessageDelegate *delegate = view->messageDelegate();
    QTRY_VERIFY_WITH_TIMEOUT(visible(QStringLiteral("pineapple")), kWaitMs);
    QVERIFY(!visible(texts.first()));

    // Open through the header's search button; the bar's widgets have stable names.
    QTest::mouseClick(chat->header()->findChild<QToolButton *>(QStringLiteral("chatSearchButton")),
                      Qt::LeftButton);
    auto *bar = chat->findChild<ui::FindBar *>(QStringLiteral("findBar"));
    QVERIFY(bar);
    QTRY_VERIFY(bar->isVisible());
    auto *field = bar->findChild<QLineEdit *>(QStringLiteral("findField"));
    auto *count = bar->findChild<QLabel *>(QStringLiteral("findCount"));
    auto *older = bar->findChild<QToolButton *>(QStringLiteral("findNext"));
    auto *newer = bar->findChild<QToolButton *>(QStringLiteral("findPrevious"));
    auto *close = bar->findChild<QToolButton *>(QStringLiteral("closeFindButton"));
    QVERIFY(field && count && older && newer && close);
    QVERIFY(field->hasFocus());

    QTest::keyClicks(field, QStringLiteral("zzz"));
    QCOMPARE(count->text(), QStringLiteral("No matches"));
    QVERIFY(!older->isEnabled());
    field->clear();
    QTest::keyClicks(field, QStringLiteral("apple"));
    // Newest first: "pineapple" is the current match, case does not matter ("Apple juice").
    QCOMPARE(count->text(), QStringLiteral("1 of 4"));
    QCOMPARE(view->currentIndex(), viewIndex(QStringLiteral("pineapple")));
    QCOMPARE(delegate->findText(), QStringLiteral("apple"));
    QCOMPARE(delegate->currentFindId(),
             viewIndex(QStringLiteral("pineapple")).data(MessageRole::MessageIdRole).toString());

    // The current match is drawn in the solid accent, the other matches in a light tint.
    const QPalette palette = view->palette();
    const QColor strong = ui::Theme::accent(palette);
    const QColor weak = ui::Theme::findMatch(palette);
    test::saveShot(m_a.window(), QStringLiteral("find-in-chat.png"));
    QImage shot = view->viewport()->grab().toImage();
    const int strongBefore = pixelsNear(shot, bubbleOf(QStringLiteral("pineapple")), strong);
    QVERIFY2(strongBefore > 20, qPrintable(QString::number(strongBefore)));
    QVERIFY(pixelsNear(shot, bubbleOf(QStringLiteral("green apple")), weak) > 20);
    QCOMPARE(pixelsNear(shot, bubbleOf(QStringLiteral("cherry")), weak), 0);

    // Older with the button, Enter and F3; newer with Shift+Enter and Shift+F3.
    QTest::mouseClick(older, Qt::LeftButton);
    QCOMPARE(count->text(), QStringLiteral("2 of 4"));
    QCOMPARE(view->currentIndex(), viewIndex(QStringLiteral("green apple")));
    QTest::keyClick(field, Qt::Key_Return);
    QCOMPARE(count->text(), QStringLiteral("3 of 4"));
    QCOMPARE(view->currentIndex(), viewIndex(QStringLiteral("Apple juice")));
    QTest::keyClick(field, Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(count->text(), QStringLiteral("2 of 4"));
    QTest::keyClick(field, Qt::Key_F3);
    QCOMPARE(count->text(), QStringLiteral("3 of 4"));
    QTest::keyClick(field, Qt::Key_F3);
    QCOMPARE(count->text(), QStringLiteral("4 of 4"));
    // The oldest match was far above: the view scrolled to it.
    QCOMPARE(view->currentIndex(), viewIndex(texts.first()));
    QTRY_VERIFY(visible(texts.first()));
    QTest::keyClick(field, Qt::Key_F3); // wraps to the newest
    QCOMPARE(count->text(), QStringLiteral("1 of 4"));
    QTRY_VERIFY(visible(QStringLiteral("pineapple")));
    QTest::keyClick(field, Qt::Key_F3, Qt::ShiftModifier); // and back to the oldest
    QCOMPARE(count->text(), QStringLiteral("4 of 4"));
    QTest::mouseClick(newer, Qt::LeftButton);
    QCOMPARE(count->text(), QStringLiteral("3 of 4"));

    // A new match arriving keeps the current one and grows the count.
    m_a.client()->outbox()->sendText(model->sendAddress(), QStringLiteral("apple crumble"));
    QTRY_COMPARE_WITH_TIMEOUT(count->text(), QStringLiteral("4 of 5"), kWaitMs);
    QCOMPARE(view->currentIndex(), viewIndex(QStringLiteral("Apple juice")));

    // Closing removes every highlight.
    QTest::mouseClick(older, Qt::LeftButton); // back near the bottom, to compare pixels
    QTest::mouseClick(newer, Qt::LeftButton);
    QTest::mouseClick(newer, Qt::LeftButton);
    QTest::mouseClick(newer, Qt::LeftButton);
    QCOMPARE(count->text(), QStringLiteral("2 of 5"));
    QCOMPARE(view->currentIndex(), viewIndex(QStringLiteral("pineapple")));
    QTRY_VERIFY(visible(QStringLiteral("pineapple")));
    QTest::mouseClick(close, Qt::LeftButton);
    QTRY_VERIFY(!bar->isVisible());
    QVERIFY(delegate->findText().isEmpty());
    QVERIFY(delegate->currentFindId().isEmpty());
    shot = view->viewport()->grab().toImage();
    const int strongAfter = pixelsNear(shot, bubbleOf(QStringLiteral("pineapple")), strong);
    QVERIFY2(strongAfter < strongBefore / 3,
             qPrintable(QStringLiteral("%1 -> %2").arg(strongBefore).arg(strongAfter)));
    QCOMPARE(pixelsNear(shot, bubbleOf(QStringLiteral("green apple")), weak), 0);
}

void TestAppLook::emojiOnlyMessagesAreRecognised()
{
    using ui::Emoji;
    const QList<std::pair<QString, int>> cases = {
        {QStringLiteral("😀"), 1},
        {QStringLiteral(" 😀 🍕🎉 "), 3},
        {QStringLiteral("😀🍕🎉🚀"), 0}, // more than three: ordinary size
        {QStringLiteral("hi 😀"), 0},
        {QStringLiteral("😀 hi"), 0},
        {QStringLiteral("❤️"), 1},
        {QStringLiteral("☀"), 1},
        {QStringLiteral("👍🏽"), 1},    // skin tone
        {QStringLiteral("🇩🇪"), 1},          // a flag: two regional indicators
        {QStringLiteral("1️⃣"), 1},     // keycap
        {QStringLiteral("👩‍💻"), 1}, // ZWJ sequence
        {QStringLiteral("1"), 0},
        {QStringLiteral("→"), 0}, // an arrow without the emoji selector is text
        {QStringLiteral("ok"), 0},
        {QString(), 0},
    };
    for (const auto &[text, count] : cases)
        QVERIFY2(Emoji::onlyEmojiCount(text) == count,
                 qPrintable(QStringLiteral("%1: %2").arg(text).arg(Emoji::onlyEmojiCount(text))));
    const QList<Emoji::Run> runs = Emoji::runs(QStringLiteral("ok ☀️ and 👍🏽!"));
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs.at(0).start, 3);
    QCOMPARE(runs.at(0).length, 2);
    QCOMPARE(runs.at(1).length, 4);
}

void TestAppLook::emojiInBubblesAreColourAndLarger()
{
    if (!ui::Emoji::fontAvailable())
        QSKIP("Noto Color Emoji is not installed (scripts/deps.sh installs it)");
    // The case of the report: a UI font with its own grey ☀ (DejaVu Sans, always installed).
    const QFont saved = QApplication::font();
    const auto restore = qScopeGuard([&saved] { QApplication::setFont(saved); });
    QApplication::setFont(QFont(QStringLiteral("DejaVu Sans"), 10));
    signInPair();
    // The app font falls back to the colour font (composer, previews, labels).
    QVERIFY(QApplication::font().families().contains(ui::Emoji::family()));
    const QString mixed = QStringLiteral("Good morning ☀"); // DejaVu Sans has a grey ☀
    const QString single = QStringLiteral("☀");
    const QString word = QStringLiteral("ok");
    QVERIFY(chatWithBob({word, mixed, single}));
    ui::MessageView *view = m_a.chat()->messageView();
    QTRY_VERIFY_WITH_TIMEOUT(visible(single) && visible(mixed), kWaitMs);
    test::saveShot(m_a.window(), QStringLiteral("emoji-in-chat.png"));

    // An emoji-only message gets a larger font: a taller bubble (the area is compared below).
    QVERIFY2(bubbleOf(single).height() > bubbleOf(word).height() * 1.25,
             qPrintable(QStringLiteral("%1 vs %2")
                            .arg(bubbleOf(single).height())
                            .arg(bubbleOf(word).height())));

    // Emoji in a bubble are drawn in colour (the sun is yellow, the heart red), not in the UI
    // font's grey outlines; the bubble's own colours are teal tints and grey text.
    const QImage shot = view->viewport()->grab().toImage();
    const auto colourful = [&shot](const QRect &rect) {
        int count = 0;
        const QRect inside = rect.intersected(shot.rect());
        for (int y = inside.top(); y <= inside.bottom(); ++y) {
            for (int x = inside.left(); x <= inside.right(); ++x) {
                const QColor c = shot.pixelColor(x, y).toHsv();
                const int hue = c.hsvHue();
                if (c.hsvSaturation() > 120 && c.value() > 120 && (hue < 140 || hue > 200))
                    ++count;
            }
        }
        return count;
    };
    QCOMPARE(colourful(bubbleOf(word)), 0);
    // The list's preview ("You: ☀") shows the colour sun too, once the last send is acked (the
    // bubble shows while it is pending; the list waits for the ack).
    const QString chat = m_a.chat()->currentConversation();
    QTRY_VERIFY_WITH_TIMEOUT(m_a.list()
                                 ->index(m_a.list()->rowOf(chat))
                                 .data(models::ConversationListModel::LastMessagePreviewRole)
                                 .toString()
                                 .endsWith(single),
                             kWaitMs);
    QListView *list = m_a.window()->conversationPane()->listView();
    const QImage rows = list->viewport()->grab().toImage();
    int previewColour = 0;
    for (int y = 0; y < rows.height(); ++y) {
        for (int x = 0; x < rows.width(); ++x) {
            const QColor c = rows.pixelColor(x, y).toHsv();
            if (c.hsvSaturation() > 120 && c.value() > 120 && c.hsvHue() >= 20 &&
                c.hsvHue() <= 60) // orange to yellow: neither the teal row nor an avatar
                ++previewColour;
        }
    }
    QVERIFY2(previewColour > 5, qPrintable(QString::number(previewColour)));
    // The composer draws typed emoji from the colour font as well.
    m_a.chat()->composer()->editor()->insertPlainText(QStringLiteral("hi ☀")); // as typed
    const QTextBlock block = m_a.chat()->composer()->editor()->document()->firstBlock();
    bool colourFont = false;
    for (const QTextLayout::FormatRange &range : block.layout()->formats())
        colourFont |= range.start == 3 &&
                      range.format.fontFamilies().toStringList().value(0) == ui::Emoji::family();
    QVERIFY(colourFont);

    const int small = colourful(bubbleOf(mixed));
    const int large = colourful(bubbleOf(single));
    QVERIFY2(small > 15, qPrintable(QString::number(small)));
    // The same sun alone is drawn 2.2 times as high, so several times the area.
    QVERIFY2(large > small * 3, qPrintable(QStringLiteral("%1 vs %2").arg(large).arg(small)));
}

QTEST_MAIN(TestAppLook)
#include "tst_applook.moc"
