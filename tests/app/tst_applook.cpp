// The chat's look through the real app (issue 16, "A look of its own"): find in chat with its
// match count, older/newer buttons and keys and the highlights in the bubbles; colour emoji in
// bubbles and larger emoji-only messages. Real AppControllers against a child ternd, offscreen.

#include "app/client/ChatClient.h"
#include "app/models/MessageListModel.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatHeader.h"
#include "app/ui/ChatPane.h"
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
#include <QTest>
#include <QToolButton>

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
        m_a.client()->sendText(model->sendAddress(), text);
    return spinUntil([&] { return rowWithText(model, texts.last()) >= 0; }, kWaitMs) ? model
                                                                                     : nullptr;
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
    auto *close = bar->findChild<QToolButton *>(QStringLiteral("findClose"));
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
    const QColor weak = ui::Theme::mix(strong, palette.color(QPalette::Base), 0.35);
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
    m_a.client()->sendText(model->sendAddress(), QStringLiteral("apple crumble"));
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

QTEST_MAIN(TestAppLook)
#include "tst_applook.moc"
