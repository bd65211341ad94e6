// The chat rendering widgets on real models (offscreen): MessageDelegate sizes and paints
// (own bubbles right, others left, wrapping capped at ~65 %), tick icons, link detection, the
// Composer's keys, MessageView's opening position, pinning, jump button, scroll state and the
// read reporting that must wait for an active window; ConversationDelegate rows. Screenshots of
// the light and dark chat go to $TERN_TEST_OUTDIR.
//
// The models belong to a user logged in to an in-process ternd; their chats exist only in the
// models (fed with addMessages).

#include "app/client/ChatClient.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageListModel.h"
#include "app/ui/Composer.h"
#include "app/ui/ConversationDelegate.h"
#include "app/ui/ImageViewer.h"
#include "app/ui/JumpToLatestButton.h"
#include "app/ui/MessageDelegate.h"
#include "app/ui/MessageLayoutCache.h"
#include "app/ui/MessageView.h"
#include "app/ui/MessageViewProxy.h"
#include "app/ui/Theme.h"
#include "app/ui/TickIcons.h"
#include "tests/app/AppTestAccount.h"
#include "tests/app/EventBarrier.h"
#include "tests/support/DesktopFont.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestUtil.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtTest>

#include <memory>

using namespace tern;
using namespace tern::test;
using tern::app::models::ConversationListModel;
using tern::app::models::MessageListModel;
using tern::app::ui::Composer;
using tern::app::ui::ConversationDelegate;
using tern::app::ui::MessageDelegate;
using tern::app::ui::MessageLayoutCache;
using tern::app::ui::MessageView;
using tern::app::ui::Theme;
using tern::app::ui::TickIcons;
using Role = MessageListModel::Role;

namespace {

constexpr int kWaitMs = 20'000;
QString kMe;                           // our user id, known after login
constexpr qint64 kAllRead = 1LL << 40; // a reading position past every message
const QString kBob = QStringLiteral("u-bob");
const QString kCarol = QStringLiteral("u-carol");
const QString kChat = QStringLiteral("c-ui");

QString longText()
{
    return QStringLiteral("This is a rather long message that certainly needs several lines "
                          "when it is wrapped at about two thirds of a normal chat pane, so the "
                          "bubble grows downwards and not sideways past its cap. See "
                          "https://example.org/docs/page?x=1 for details.");
}

protocol::MessageEvent message(qint64 seq, const QString &from, const QDateTime &at,
                               const QString &text)
{
    protocol::MessageEvent m;
    m.id = QStringLiteral("m%1").arg(seq);
    m.conversation = kChat;
    m.seq = seq;
    m.from = from;
    m.kind = protocol::MessageKind::Text;
    m.content = text;
    m.serverTs = at.toMSecsSinceEpoch();
    m.ts = m.serverTs;
    return m;
}

//! `count` messages ending now: alternating runs of ours and Bob's/Carol's, some long, a link,
//! a system line, spread over a few days.
QList<protocol::MessageEvent> conversation(int count, qint64 firstSeq = 1)
{
    QList<protocol::MessageEvent> list;
    const QDateTime now = QDateTime::currentDateTime();
    for (int i = 0; i < count; ++i) {
        const qint64 seq = firstSeq + i;
        // Runs of three within two minutes (grouped), runs two hours apart (days pass).
        const qint64 back = qint64(count - i);
        const QDateTime at = now.addSecs(-(back / 3) * 7200 - (back % 3) * 40);
        const int run = (i / 3) % 3;
        const QString from = run == 0 ? kMe : run == 1 ? kBob : kCarol;
        QString text;
        if (i % 7 == 3)
            text = longText();
        else if (i % 5 == 1)
            text = QStringLiteral("Short %1").arg(seq);
        else
            text = QStringLiteral("Message number %1, with a few words.").arg(seq);
        protocol::MessageEvent m = message(seq, from, at, text);
        if (i % 41 == 40) {
            m.kind = protocol::MessageKind::System;
            m.content = QStringLiteral(R"({"event":"renamed","by":"u-bob","name":"Weekend"})");
        }
        list.append(m);
    }
    return list;
}

//! One logged-in user of the in-process server; the chats the views show exist only in the
//! models (fed with addMessages), so the server answers their history requests with errors.
struct UiAccount
{
    AppTestAccount account;

    std::unique_ptr<MessageListModel> model(qint64 readSeq, const QString &kind)
    {
        protocol::ConversationSummary summary;
        summary.conversation = kChat;
        summary.kind = protocol::fromWireName<protocol::ConversationKind>(kind).value();
        summary.name =
            kind == QLatin1String("group") ? QStringLiteral("Weekend trip") : QStringLiteral("Bob");
        summary.members = {{me(), protocol::Role::Owner}, {kBob, protocol::Role::Member}};
        if (kind == QLatin1String("group"))
            summary.members.append({kCarol, protocol::Role::Member});
        summary.readSeq = readSeq;
        auto result =
            std::make_unique<MessageListModel>(account.client.get(), account.store.get(), summary);
        QSignalSpy loaded(result.get(), &MessageListModel::loaded);
        if (!spinUntil([&] { return !loaded.isEmpty(); }, kWaitMs))
            return nullptr;
        result->setDisplayNames({{kBob, QStringLiteral("Bob Builder")},
                                 {kCarol, QStringLiteral("Carol Jones")},
                                 {me(), QStringLiteral("Me")}});
        return result;
    }
    QString me() const { return account.userId; }
};

//! A window with a chat view and composer, as the chat pane stacks them.
struct ChatWindow
{
    QWidget window;
    MessageView *view = nullptr;
    Composer *composer = nullptr;

    ChatWindow()
    {
        auto *layout = new QVBoxLayout(&window);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(0);
        view = new MessageView(&window);
        composer = new Composer(&window);
        layout->addWidget(view, 1);
        layout->addWidget(composer);
        window.resize(720, 820);
    }
};

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x20, 0x22, 0x25));
    p.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Base, QColor(0x17, 0x19, 0x1c));
    p.setColor(QPalette::AlternateBase, QColor(0x22, 0x24, 0x28));
    p.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Button, QColor(0x2a, 0x2d, 0x31));
    p.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0x6a));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8d, 0x91));
    p.setColor(QPalette::Link, QColor(0x3d, 0x8b, 0xfd));
    return p;
}

QString outDir()
{
    QString dir = qEnvironmentVariable("TERN_TEST_OUTDIR");
    if (dir.isEmpty())
        dir = QDir::temp().filePath(QStringLiteral("tern-test-artifacts"));
    QDir().mkpath(dir);
    return dir;
}

bool near(const QColor &a, const QColor &b, int tolerance = 6)
{
    return qAbs(a.red() - b.red()) <= tolerance && qAbs(a.green() - b.green()) <= tolerance &&
           qAbs(a.blue() - b.blue()) <= tolerance;
}

} // namespace

class TestUiWidgets : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void tickIconsAreCrispAndTinted();
    void linksAreDetected();
    void sizeHintsWrapAndCap();
    void paintsOwnRightOthersLeft();
    void manyRowsStayCheap();
    void composerEnterSendsAndClears();
    void composerShiftEnterButtonAndGrowth();
    void composerDraftIsNotTyping();
    void viewOpensAtBottomAndStaysPinned();
    void viewOpensAtUnreadDivider();
    void jumpButtonCountsNewMessages();
    void olderPageKeepsContentInPlace();
    void scrollStateRoundTrip();
    void readOnlyWhileActive();
    void copyAndAccessibleText();
    void conversationRows();
    void imageViewerScalesOffTheUiThread();
    void screenshots();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerFixture> m_server;
    std::unique_ptr<UiAccount> m_account;
};

void TestUiWidgets::imageViewerScalesOffTheUiThread()
{
    // One-pixel black and white stripes: scaled down smoothly they average to grey, while the
    // quick rendering picks whole stripes and stays black or white.
    QImage stripes(2400, 1800, QImage::Format_RGB32);
    for (int x = 0; x < stripes.width(); ++x) {
        const QRgb colour = x % 2 ? qRgb(255, 255, 255) : qRgb(0, 0, 0);
        for (int y = 0; y < stripes.height(); ++y)
            stripes.setPixel(x, y, colour);
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stripes.png"));
    QVERIFY(stripes.save(path));

    app::ui::ImageViewer viewer(QStringLiteral("stripes"));
    viewer.resize(640, 480);
    viewer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&viewer));
    QSignalSpy smooth(&viewer, &app::ui::ImageViewer::smoothPixmapShown);
    viewer.showFile(path);
    QVERIFY(!smooth.isEmpty() || smooth.wait(10'000));
    auto *label = viewer.findChild<QLabel *>();
    auto centreGrey = [&] {
        const QImage shown = label->pixmap().toImage();
        return qGray(shown.pixel(shown.width() / 2, shown.height() / 2));
    };
    QVERIFY2(centreGrey() > 60 && centreGrey() < 200, qPrintable(QString::number(centreGrey())));

    smooth.clear();
    viewer.resize(400, 300);
    // Right after the resize the quick rendering fits the new size: the UI thread did not wait
    // for the smooth one.
    QVERIFY(label->pixmap().width() <= label->width());
    QVERIFY(label->pixmap().height() <= label->height());
    QVERIFY2(centreGrey() < 20 || centreGrey() > 235, qPrintable(QString::number(centreGrey())));
    QVERIFY(!smooth.isEmpty() || smooth.wait(10'000));
    QVERIFY(label->pixmap().width() <= label->width());
    QVERIFY2(centreGrey() > 60 && centreGrey() < 200, qPrintable(QString::number(centreGrey())));
}

void TestUiWidgets::initTestCase()
{
    test::useDesktopFont(); // its screenshots are in the README
    QApplication::setEffectEnabled(Qt::UI_AnimateTooltip, false);
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<ServerFixture>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_account = std::make_unique<UiAccount>();
    QVERIFY(
        m_account->account.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("ui"))));
    kMe = m_account->me();
}

void TestUiWidgets::cleanupTestCase()
{
    if (m_account)
        m_account->account.destroy();
    m_account.reset();
    m_server.reset();
    QVERIFY(runQueuedWork()); // what the teardown resumed, before the directory goes
    m_dir.reset();
}

void TestUiWidgets::tickIconsAreCrispAndTinted()
{
    TickIcons icons;
    for (auto icon : {TickIcons::Icon::Clock, TickIcons::Icon::Sent, TickIcons::Icon::Delivered,
                      TickIcons::Icon::Read, TickIcons::Icon::Failed}) {
        QVERIFY2(QFile::exists(TickIcons::resourcePath(icon)),
                 qPrintable(TickIcons::resourcePath(icon)));
        const QPixmap one = icons.pixmap(icon, QColor(Qt::red), QSize(16, 16), 1.0);
        const QPixmap two = icons.pixmap(icon, QColor(Qt::red), QSize(16, 16), 2.0);
        QCOMPARE(one.size(), QSize(16, 16));
        QCOMPARE(two.size(), QSize(32, 32)); // device pixels: crisp on a 2x screen
        QCOMPARE(two.devicePixelRatio(), 2.0);
        // Every drawn pixel carries the tint.
        const QImage image = two.toImage();
        int drawn = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = QColor::fromRgba(image.pixel(x, y));
                if (c.alpha() > 200) {
                    ++drawn;
                    QVERIFY(c.red() > 200 && c.green() < 40 && c.blue() < 40);
                }
            }
        }
        QVERIFY(drawn > 20);
    }
}

void TestUiWidgets::linksAreDetected()
{
    const auto links = MessageLayoutCache::findLinks(
        QStringLiteral("see https://example.org/a. and (http://x.io/b_(c)) or ftp://no <b>"));
    QCOMPARE(links.size(), 2);
    QCOMPARE(links.at(0).url, QStringLiteral("https://example.org/a"));
    QCOMPARE(links.at(1).url, QStringLiteral("http://x.io/b_(c)"));
    QVERIFY(MessageLayoutCache::findLinks(QStringLiteral("javascript:alert(1)")).isEmpty());
}

void TestUiWidgets::sizeHintsWrapAndCap()
{
    auto model = m_account->model(kAllRead, QStringLiteral("direct"));
    QVERIFY(model);
    const QDateTime now = QDateTime::currentDateTime();
    model->addMessages({message(1, kBob, now.addSecs(-600), QStringLiteral("Hi")),
                        message(2, kBob, now.addSecs(-590), longText()),
                        message(3, kMe, now.addSecs(-580), longText()),
                        message(4, kMe, now.addSecs(-570), QStringLiteral("Ok"))});
    MessageView view;
    view.resize(800, 600);
    view.setMessageModel(model.get());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const auto option = [&](int row) {
        QStyleOptionViewItem o;
        o.font = view.font();
        o.widget = &view;
        o.rect = view.visualRect(view.model()->index(row, 0));
        return o;
    };
    MessageDelegate *delegate = view.messageDelegate();
    const QModelIndex shortOther = view.model()->index(0, 0);
    const QModelIndex longOther = view.model()->index(1, 0);
    const QModelIndex longOwn = view.model()->index(2, 0);
    const QModelIndex shortOwn = view.model()->index(3, 0);
    // Both grouped with the row above (no separator, no name): only the text differs.
    const int unit = view.fontMetrics().height();
    QVERIFY(delegate->sizeHint(option(1), longOther).height() >=
            delegate->sizeHint(option(3), shortOwn).height() + 2 * unit);
    const int width = view.viewport()->width();
    for (const QModelIndex &index : {longOther, longOwn}) {
        const QRect bubble = delegate->bubbleRect(option(index.row()), index);
        QVERIFY2(bubble.width() <= width * 0.66 + 1,
                 qPrintable(QStringLiteral("%1 of %2").arg(bubble.width()).arg(width)));
        QVERIFY(bubble.width() >= width * 0.5); // long text uses the room it has
    }
    QVERIFY(delegate->bubbleRect(option(0), shortOther).width() < width / 4);
    // Own on the right, others on the left.
    QVERIFY(delegate->bubbleRect(option(3), shortOwn).left() > width / 2);
    QVERIFY(delegate->bubbleRect(option(0), shortOther).right() < width / 2);

    // A narrower pane re-wraps: the long message grows taller.
    const int before = view.visualRect(longOwn).height();
    view.resize(500, 600);
    QTRY_VERIFY(view.visualRect(longOwn).height() > before);
}

void TestUiWidgets::paintsOwnRightOthersLeft()
{
    auto model = m_account->model(kAllRead, QStringLiteral("group"));
    QVERIFY(model);
    model->addMessages(conversation(1000));
    QCOMPARE(model->rowCount(), 1000);
    MessageDelegate delegate;
    delegate.setShowSenderNames(true);
    QPalette palette;
    const int width = 640;
    QImage image(width, 600, QImage::Format_ARGB32_Premultiplied);
    int own = 0, others = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        QStyleOptionViewItem option;
        option.font = QApplication::font();
        option.palette = palette;
        option.rect = QRect(0, 0, width, 600);
        option.index = index;
        const QSize hint = delegate.sizeHint(option, index);
        QVERIFY(hint.height() > 0 && hint.height() < 600);
        option.rect = QRect(0, 0, width, hint.height());
        image.fill(palette.color(QPalette::Base));
        {
            QPainter painter(&image);
            delegate.paint(&painter, option, index);
        }
        if (index.data(Role::KindRole).toString() == QLatin1String("system"))
            continue;
        const QRect bubble = delegate.bubbleRect(option, index);
        // Just inside the bubble's straight edge, halfway down: the bubble's fill.
        const QPoint probe(bubble.left() + 2, bubble.center().y());
        const QColor sampled = image.pixelColor(probe);
        if (index.data(Role::IsOwnRole).toBool()) {
            ++own;
            QVERIFY(bubble.center().x() > width / 2);
            QVERIFY2(near(sampled, Theme::ownBubble(palette)), qPrintable(sampled.name()));
            QVERIFY(near(image.pixelColor(width - 2, probe.y()), palette.color(QPalette::Base)));
        } else {
            ++others;
            QVERIFY(bubble.center().x() < width / 2);
            QVERIFY2(near(sampled, Theme::otherBubble(palette)), qPrintable(sampled.name()));
            QVERIFY(near(image.pixelColor(1, probe.y()), palette.color(QPalette::Base)));
        }
    }
    QVERIFY(own > 300 && others > 600);
}

void TestUiWidgets::manyRowsStayCheap()
{
    auto model = m_account->model(kAllRead, QStringLiteral("group"));
    QVERIFY(model);
    QElapsedTimer timer;
    timer.start();
    model->addMessages(conversation(100'000));
    QCOMPARE(model->rowCount(), 100'000);
    const qint64 fill = timer.restart();

    ChatWindow chat;
    chat.view->setGroupChat(true);
    chat.view->setMessageModel(model.get());
    chat.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chat.window));
    QTRY_VERIFY(chat.view->isAtBottom());
    const qint64 firstLayout = timer.restart();
    // A second full layout (what every insert costs) hits the size cache.
    chat.view->doItemsLayout();
    const qint64 relayout = timer.restart();
    // Scrolling through the middle paints a few rows each time.
    QScrollBar *bar = chat.view->verticalScrollBar();
    for (int i = 0; i < 50; ++i) {
        bar->setValue(bar->maximum() / 50 * i);
        chat.view->viewport()->repaint();
    }
    const qint64 scroll = timer.restart();
    // For comparison: the model's own share of a layout pass (two roles it computes per row).
    int flags = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        flags += index.data(Role::DayStartRole).toBool() +
                 index.data(Role::GroupedWithPreviousRole).toBool();
    }
    const qint64 modelRoles = timer.restart();
    qInfo("100k rows: model %lld ms, first layout %lld ms, relayout %lld ms, 50 scroll paints "
          "%lld ms; DayStart+Grouped roles alone %lld ms (%d)",
          fill, firstLayout, relayout, scroll, modelRoles, flags);
    QVERIFY2(relayout < 3000, qPrintable(QString::number(relayout)));
    QVERIFY2(scroll < 3000, qPrintable(QString::number(scroll)));
}

void TestUiWidgets::composerEnterSendsAndClears()
{
    Composer composer;
    composer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&composer));
    QSignalSpy sent(&composer, &Composer::sendRequested);
    QSignalSpy typing(&composer, &Composer::typingActivity);
    QPlainTextEdit *edit = composer.editor();
    QCOMPARE(edit->placeholderText(), QStringLiteral("Write a message…"));
    QCOMPARE(composer.sendButton()->accessibleName(), QStringLiteral("Send"));
    QVERIFY(!edit->accessibleName().isEmpty());
    edit->setFocus();
    QTest::keyClicks(edit, QStringLiteral("hello there"));
    QVERIFY(typing.size() > 0);
    QVERIFY(composer.sendButton()->isEnabled());
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.at(0).at(0).toString(), QStringLiteral("hello there"));
    QVERIFY(edit->toPlainText().isEmpty());
    QVERIFY(!composer.sendButton()->isEnabled());
    // Enter on an empty box sends nothing.
    QTest::keyClick(edit, Qt::Key_Enter);
    QCOMPARE(sent.size(), 1);
    // The button sends too.
    QTest::keyClicks(edit, QStringLiteral("by click"));
    QTest::mouseClick(composer.sendButton(), Qt::LeftButton);
    QCOMPARE(sent.size(), 2);
    QCOMPARE(sent.at(1).at(0).toString(), QStringLiteral("by click"));
    // Esc leaves the box.
    edit->setFocus();
    QTRY_VERIFY(edit->hasFocus());
    QTest::keyClick(edit, Qt::Key_Escape);
    QVERIFY(!edit->hasFocus());
}

void TestUiWidgets::composerShiftEnterButtonAndGrowth()
{
    Composer composer;
    composer.resize(400, 100);
    composer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&composer));
    QSignalSpy sent(&composer, &Composer::sendRequested);
    QPlainTextEdit *edit = composer.editor();
    edit->setFocus();
    const int oneLine = edit->height();
    QTest::keyClicks(edit, QStringLiteral("   "));
    QVERIFY(!composer.sendButton()->isEnabled()); // whitespace only
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(sent.size(), 0);
    composer.setDraft(QString());
    QTest::keyClicks(edit, QStringLiteral("a"));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(edit, QStringLiteral("b"));
    QCOMPARE(edit->toPlainText(), QStringLiteral("a\nb"));
    QCOMPARE(sent.size(), 0);
    QTRY_VERIFY(edit->height() > oneLine);
    const int twoLines = edit->height();
    for (int i = 0; i < 12; ++i) {
        QTest::keyClick(edit, Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(edit, QStringLiteral("x"));
    }
    QTRY_VERIFY(edit->height() > twoLines);
    const int capped = edit->height();
    const int lineStep = twoLines - oneLine;
    QVERIFY2(qAbs(capped - (oneLine + (Composer::kMaxLines - 1) * lineStep)) <= 2,
             qPrintable(QStringLiteral("%1 %2 %3").arg(oneLine).arg(twoLines).arg(capped)));
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(sent.size(), 1);
    QVERIFY(sent.at(0).at(0).toString().startsWith(QStringLiteral("a\nb\nx")));
    QTRY_COMPARE(edit->height(), oneLine);
}

void TestUiWidgets::composerDraftIsNotTyping()
{
    Composer composer;
    QSignalSpy typing(&composer, &Composer::typingActivity);
    composer.setDraft(QStringLiteral("half-written"));
    QCOMPARE(composer.draft(), QStringLiteral("half-written"));
    QVERIFY(composer.sendButton()->isEnabled());
    QCOMPARE(typing.size(), 0);
    composer.setDraft(QString());
    QVERIFY(!composer.sendButton()->isEnabled());
    QCOMPARE(typing.size(), 0);
}

void TestUiWidgets::viewOpensAtBottomAndStaysPinned()
{
    auto model = m_account->model(kAllRead, QStringLiteral("group"));
    QVERIFY(model);
    model->addMessages(conversation(500));
    ChatWindow chat;
    chat.view->setMessageModel(model.get());
    chat.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chat.window));
    QScrollBar *bar = chat.view->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());
    QVERIFY(chat.view->isAtBottom());
    QVERIFY(!chat.view->jumpButton()->isVisible());

    // A new message arrives while at the bottom: still at the bottom, and it is visible.
    const int oldMax = bar->maximum();
    model->addMessages({message(501, kBob, QDateTime::currentDateTime(), longText())});
    QTRY_VERIFY(bar->maximum() > oldMax);
    QTRY_COMPARE(bar->value(), bar->maximum());
    const QRect last = chat.view->visualRect(chat.view->model()->index(500, 0));
    QVERIFY(chat.view->viewport()->rect().contains(last));

    // Scrolled to the top: the jump button shows; clicking it goes back down.
    bar->setValue(0);
    QTRY_VERIFY(chat.view->jumpButton()->isVisible());
    QVERIFY(!chat.view->isAtBottom());
    QCOMPARE(chat.view->jumpButton()->accessibleName(), QStringLiteral("Jump to latest"));
    QTest::mouseClick(chat.view->jumpButton(), Qt::LeftButton);
    QTRY_COMPARE(bar->value(), bar->maximum());
    QTRY_VERIFY(!chat.view->jumpButton()->isVisible());
}

void TestUiWidgets::viewOpensAtUnreadDivider()
{
    // Everything up to seq 500 was read when the chat opened; Bob wrote 60 more the next day.
    auto model = m_account->model(500, QStringLiteral("group"));
    QVERIFY(model);
    model->addMessages(conversation(500));
    const QDateTime tomorrow = QDateTime::currentDateTime().addDays(1);
    QList<protocol::MessageEvent> unread;
    for (int i = 1; i <= 60; ++i)
        unread.append(message(500 + i, kBob, tomorrow.addSecs(i), QStringLiteral("New %1").arg(i)));
    model->addMessages(unread);
    const int firstUnread = model->firstUnreadRow();
    QCOMPARE(firstUnread, 500);
    ChatWindow chat;
    chat.view->setMessageModel(model.get());
    chat.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chat.window));
    const qint64 seq = model->index(firstUnread).data(Role::SeqRole).toLongLong();
    QCOMPARE(chat.view->messageDelegate()->unreadDividerSeq(), seq);
    const QModelIndex index = chat.view->model()->index(firstUnread, 0);
    QTRY_VERIFY(chat.view->viewport()->rect().contains(chat.view->visualRect(index).topLeft()));
    QVERIFY(chat.view->visualRect(index).top() < chat.view->viewport()->height() / 3);
    QVERIFY(!chat.view->isAtBottom());
    QVERIFY(chat.view->jumpButton()->isVisible());
    // The new day's separator comes first, then the divider, then the message.
    const QRect divider = chat.view->unreadDividerRect();
    QVERIFY(index.data(Role::DayStartRole).toBool());
    QVERIFY(!divider.isEmpty());
    QVERIFY(divider.top() >= chat.view->visualRect(index).top() + divider.height());
}

void TestUiWidgets::jumpButtonCountsNewMessages()
{
    auto model = m_account->model(300, QStringLiteral("group"));
    QVERIFY(model);
    model->addMessages(conversation(300));
    ChatWindow chat;
    chat.view->setMessageModel(model.get());
    chat.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chat.window));
    QScrollBar *bar = chat.view->verticalScrollBar();
    QTRY_COMPARE(bar->value(), bar->maximum());
    bar->setValue(bar->maximum() / 2);
    QTRY_VERIFY(chat.view->jumpButton()->isVisible());
    const int value = bar->value();
    const QDateTime now = QDateTime::currentDateTime();
    model->addMessages({message(301, kBob, now, QStringLiteral("one")),
                        message(302, kCarol, now, QStringLiteral("two"))});
    model->addMessages({message(303, kBob, now, QStringLiteral("three"))});
    QTRY_COMPARE(chat.view->newBelowCount(), 3);
    QCOMPARE(chat.view->jumpButton()->count(), 3);
    QCOMPARE(bar->value(), value); // reading position untouched
    chat.view->scrollToLatest();
    QTRY_COMPARE(bar->value(), bar->maximum());
    QCOMPARE(chat.view->newBelowCount(), 0);
}

void TestUiWidgets::olderPageKeepsContentInPlace()
{
    auto model = m_account->model(kAllRead, QStringLiteral("group"));
    QVERIFY(model);
    model->addMessages(conversation(200, 1001));
    ChatWindow chat;
    chat.view->setMessageModel(model.get());
    chat.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chat.window));
    QScrollBar *bar = chat.view->verticalScrollBar();
    QTRY_COMPARE(bar->value(), bar->maximum());
    bar->setValue(bar->maximum() / 2);
    const QModelIndex top = chat.view->indexAt(QPoint(1, chat.view->viewport()->height() / 2));
    QVERIFY(top.isValid());
    const qint64 seq = top.data(Role::SeqRole).toLongLong();
    const int y = chat.view->visualRect(top).top();
    // An older page (as fetchMore delivers it) comes in at the top.
    QList<protocol::MessageEvent> older = conversation(100, 1);
    for (auto &m : older)
        m.serverTs = m.ts = m.ts - 86'400'000LL * 3;
    model->addMessages(older);
    QCOMPARE(model->rowCount(), 300);
    const auto still = [&] {
        const QModelIndex now = chat.view->model()->index(model->rowOfSeq(seq), 0);
        return chat.view->visualRect(now).top();
    };
    QTRY_COMPARE(still(), y);
    QVERIFY(runQueuedWork()); // a layout still pending would move it here
    QCOMPARE(still(), y);
}

void TestUiWidgets::scrollStateRoundTrip()
{
    auto model = m_account->model(kAllRead, QStringLiteral("group"));
    QVERIFY(model);
    model->addMessages(conversation(400));
    ChatWindow chat;
    chat.view->setMessageModel(model.get());
    chat.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chat.window));
    QScrollBar *bar = chat.view->verticalScrollBar();
    QTRY_COMPARE(bar->value(), bar->maximum());
    QVERIFY(chat.view->saveScrollState().atBottom);
    bar->setValue(bar->maximum() / 3);
    const MessageView::ScrollState state = chat.view->saveScrollState();
    QVERIFY(!state.atBottom);
    QVERIFY(state.seq > 0);
    const int value = bar->value();

    // Switch to another chat and back (a new model, as the chat pane may create).
    auto other = m_account->model(kAllRead, QStringLiteral("direct"));
    chat.view->setMessageModel(other.get());
    chat.view->setMessageModel(nullptr);
    model.reset();
    auto reopened = m_account->model(kAllRead, QStringLiteral("group"));
    QVERIFY(reopened);
    reopened->addMessages(conversation(400));
    chat.view->setMessageModel(reopened.get());
    chat.view->restoreScrollState(state);
    QTRY_COMPARE(bar->value(), value);
    const QModelIndex anchor = chat.view->model()->index(reopened->rowOfSeq(state.seq), 0);
    QCOMPARE(chat.view->visualRect(anchor).top(), state.offset);

    // A message that is not loaded any more falls back to the bottom.
    chat.view->restoreScrollState({999'999, 0, false});
    QTRY_COMPARE(bar->value(), bar->maximum());
}

void TestUiWidgets::readOnlyWhileActive()
{
    auto model = m_account->model(kAllRead, QStringLiteral("group"));
    QVERIFY(model);
    model->addMessages(conversation(200));
    ChatWindow chat;
    QSignalSpy read(chat.view, &MessageView::readUpTo);
    chat.view->setReadDebounceMs(3'600'000); // held until the other window has the focus
    chat.view->setMessageModel(model.get());
    chat.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chat.window));
    // Another window takes the focus before the debounce ends: nothing may count as read.
    QWidget other;
    other.resize(200, 200);
    other.show();
    other.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&other));
    QVERIFY(!chat.window.isActiveWindow());
    // The debounce ends now: the check runs (its timer stops) and reports nothing.
    QVERIFY(chat.view->isReadCheckPending());
    chat.view->setReadDebounceMs(0);
    QTRY_VERIFY(!chat.view->isReadCheckPending());
    QCOMPARE(read.size(), 0);
    // New messages arriving in the inactive window are not read either: the check their layout
    // schedules is held, then released.
    chat.view->setReadDebounceMs(3'600'000);
    model->addMessages({message(201, kBob, QDateTime::currentDateTime(), QStringLiteral("hey"))});
    QTRY_VERIFY(chat.view->isReadCheckPending());
    chat.view->setReadDebounceMs(0);
    QTRY_VERIFY(!chat.view->isReadCheckPending());
    QCOMPARE(read.size(), 0);

    // The window becomes active: the newest fully visible message is reported.
    chat.window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&chat.window));
    QTRY_COMPARE(read.size(), 1);
    QCOMPARE(read.at(0).at(0).toLongLong(), 201);
    // Scrolling up reports nothing lower; a newer message reports again.
    chat.view->verticalScrollBar()->setValue(0);
    QVERIFY(chat.view->isReadCheckPending());
    QTRY_VERIFY(!chat.view->isReadCheckPending());
    QCOMPARE(read.size(), 1);
    chat.view->scrollToLatest();
    model->addMessages({message(202, kBob, QDateTime::currentDateTime(), QStringLiteral("?"))});
    QTRY_COMPARE(read.size(), 2);
    QCOMPARE(read.at(1).at(0).toLongLong(), 202);
}

void TestUiWidgets::copyAndAccessibleText()
{
    auto model = m_account->model(kAllRead, QStringLiteral("group"));
    QVERIFY(model);
    const QDateTime now = QDateTime::currentDateTime();
    model->addMessages({message(1, kBob, now.addSecs(-60), QStringLiteral("first <b>x</b>")),
                        message(2, kMe, now, QStringLiteral("second"))});
    ChatWindow chat;
    chat.view->setMessageModel(model.get());
    chat.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chat.window));
    chat.view->selectAll();
    QCOMPARE(chat.view->selectedText(), QStringLiteral("first <b>x</b>\nsecond"));
    chat.view->setFocus();
    QTest::keySequence(chat.view, QKeySequence::Copy);
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("first <b>x</b>\nsecond"));
    const QString spoken = chat.view->model()->index(0, 0).data(Qt::AccessibleTextRole).toString();
    QVERIFY2(spoken.startsWith(QStringLiteral("Bob Builder, ")), qPrintable(spoken));
    QVERIFY(spoken.endsWith(QStringLiteral(": first <b>x</b>")));
    const QString own = chat.view->model()->index(1, 0).data(Qt::AccessibleTextRole).toString();
    QVERIFY2(own.startsWith(QStringLiteral("You, ")) && own.endsWith(QStringLiteral(": second")),
             qPrintable(own));
    // A system message: the view says what the model says (the text is built once, in the
    // model), with its time like every other row (the view's own copy used to drop the time).
    protocol::MessageEvent renamed = message(3, kBob, now, QString());
    renamed.kind = protocol::MessageKind::System;
    renamed.content = QStringLiteral(R"({"event":"renamed","by":"u-bob","name":"Weekend"})");
    model->addMessages({renamed});
    QCOMPARE(chat.view->model()->rowCount(), 3);
    const QString system = chat.view->model()->index(2, 0).data(Qt::AccessibleTextRole).toString();
    QCOMPARE(system, model->index(2).data(Qt::AccessibleTextRole).toString());
    const QString time = QLocale().toString(now.time(), QLocale::ShortFormat);
    QVERIFY2(system.startsWith(time + QStringLiteral(": ")) &&
                 system.endsWith(QStringLiteral(" renamed the group to \"Weekend\"")),
             qPrintable(system));
}

void TestUiWidgets::conversationRows()
{
    const QDateTime now = QDateTime::currentDateTime();
    QCOMPARE(ConversationDelegate::activityText(now.toMSecsSinceEpoch(), now),
             MessageDelegate::shortTime(now.time()));
    QVERIFY(!MessageDelegate::shortTime(QTime(14, 5, 33)).contains(QLatin1String("33")));
    const QDateTime threeDays = now.addDays(-3);
    QCOMPARE(ConversationDelegate::activityText(threeDays.toMSecsSinceEpoch(), now),
             QLocale().dayName(threeDays.date().dayOfWeek(), QLocale::ShortFormat));
    const QDateTime old = now.addDays(-40);
    QCOMPARE(ConversationDelegate::activityText(old.toMSecsSinceEpoch(), now),
             QLocale().toString(old.date(), QLocale::ShortFormat));
    QCOMPARE(ConversationDelegate::badgeText(5000), QStringLiteral("999+"));

    // A cached list: direct and group chats, unread, muted.
    QList<protocol::ConversationSummary> list;
    const QStringList names = {QStringLiteral("Bob Builder"), QStringLiteral("Weekend trip"),
                               QStringLiteral("Carol Jones"), QStringLiteral("Release team")};
    for (int i = 0; i < names.size(); ++i) {
        protocol::ConversationSummary s;
        s.conversation = QStringLiteral("c%1").arg(i);
        s.kind = i % 2 ? protocol::ConversationKind::Group : protocol::ConversationKind::Direct;
        s.name = names.at(i);
        s.members = {{kMe, protocol::Role::Owner}, {kBob, protocol::Role::Member}};
        s.lastSeq = 10;
        s.unread = i == 0 ? 3 : i == 3 ? 120 : 0;
        s.lastMessage = message(10, i % 2 ? kBob : kMe, now.addDays(-i * 3).addSecs(-i * 600),
                                QStringLiteral("Preview of conversation %1, long enough to "
                                               "need eliding in a narrow list")
                                    .arg(i));
        s.lastMessage->conversation = s.conversation;
        list.append(s);
    }
    // An account that stays offline, so the cached list is what shows.
    AppTestAccount offline;
    offline.path = m_dir->filePath(QStringLiteral("list.sqlite"));
    QVERIFY(offline.build(QUrl()));
    QVERIFY(take(offline.store->saveConversations(list)).ok());
    QVERIFY(take(offline.store->setSetting(ConversationListModel::kMutedKeyPrefix +
                                               QStringLiteral("c3"),
                                           QStringLiteral("1")))
                .ok());
    ConversationListModel conversations(offline.client.get(), offline.store.get());
    QTRY_VERIFY(conversations.isLoaded());
    QTRY_COMPARE(conversations.rowCount(), 4);
    QListView listView;
    ConversationDelegate delegate;
    listView.setItemDelegate(&delegate);
    listView.setModel(&conversations);
    listView.resize(320, 400);
    listView.show();
    QVERIFY(QTest::qWaitForWindowExposed(&listView));
    QStyleOptionViewItem option;
    option.font = listView.font();
    const int height = delegate.sizeHint(option, conversations.index(0)).height();
    const int unit = QFontMetrics(listView.font()).height();
    QVERIFY(height > unit * 3 && height < unit * 5);
    listView.setCurrentIndex(conversations.index(1));
    const QImage shot = listView.grab().toImage();
    QVERIFY(!shot.isNull());
    QVERIFY(shot.save(QDir(outDir()).filePath(QStringLiteral("list-light.png"))));
}

void TestUiWidgets::screenshots()
{
    auto model = m_account->model(60, QStringLiteral("group"));
    QVERIFY(model);
    QList<protocol::MessageEvent> messages = conversation(80);
    messages.last().content = QStringLiteral("Tickets are on https://example.org/tickets — "
                                             "Carol, can you check?");
    model->addMessages(messages);
    for (const bool dark : {false, true}) {
        ChatWindow chat;
        if (dark)
            chat.window.setPalette(darkPalette());
        chat.view->setGroupChat(true);
        chat.view->setMessageModel(model.get());
        chat.composer->setDraft(QStringLiteral("Sounds good, see you there"));
        chat.window.resize(720, 900);
        chat.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chat.window));
        QVERIFY(runQueuedWork()); // the delayed layout, before the picture
        const QImage image = chat.window.grab().toImage();
        QVERIFY(!image.isNull());
        const QString name =
            dark ? QStringLiteral("chat-dark.png") : QStringLiteral("chat-light.png");
        QVERIFY(image.save(QDir(outDir()).filePath(name)));
        // Scrolled to the end: the newest messages and their ticks.
        chat.view->scrollToLatest();
        QVERIFY(runQueuedWork());
        const QString bottom =
            dark ? QStringLiteral("chat-dark-bottom.png") : QStringLiteral("chat-light-bottom.png");
        QVERIFY(chat.window.grab().toImage().save(QDir(outDir()).filePath(bottom)));
    }
}

QTEST_MAIN(TestUiWidgets)
#include "tst_uiwidgets.moc"
