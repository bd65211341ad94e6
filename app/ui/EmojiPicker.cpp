#include "app/ui/EmojiPicker.h"

#include "app/session/AppSettings.h"
#include "app/ui/ClearButton.h"
#include "app/ui/Emoji.h"
#include "app/ui/EmojiCatalog.h"

#include <QEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QScreen>
#include <QScrollBar>
#include <QTabBar>
#include <QVBoxLayout>

namespace tern::app::ui {

namespace {

constexpr int kColumns = 8;
constexpr int kRows = 6;

// The tabs' faces: "Recently used" first, then the categories in EmojiCatalog::Category order.
constexpr const char *kTabFaces[] = {"🕘", "😀", "👋", "🐻", "🍔", "⚽", "🚗", "💡", "❤️", "🏁"};
static_assert(std::size(kTabFaces) == EmojiCatalog::kCategoryCount + 1);

} // namespace

EmojiPicker::EmojiPicker(QWidget *parent)
    : QFrame(parent, Qt::Popup), m_search(new QLineEdit(this)), m_tabs(new QTabBar(this)),
      m_grid(new QListWidget(this)), m_empty(new QLabel(this))
{
    setObjectName(QStringLiteral("emojiPicker"));
    setFrameShape(QFrame::StyledPanel);
    m_search->setObjectName(QStringLiteral("emojiSearchField"));
    m_grid->setObjectName(QStringLiteral("emojiGrid"));
    m_empty->setObjectName(QStringLiteral("emojiEmptyLabel"));
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->hide();

    // A tab bar: arrow keys move between the categories, screen readers hear their names.
    m_tabs->setObjectName(QStringLiteral("emojiCategoryTabs"));
    m_tabs->setDrawBase(false);
    m_tabs->setExpanding(false);
    m_tabs->setUsesScrollButtons(false);
    m_tabs->setFocusPolicy(Qt::TabFocus);
    for (const char *face : kTabFaces)
        m_tabs->addTab(QString::fromUtf8(face));
    connect(m_tabs, &QTabBar::currentChanged, this,
            [this](int index) { showTab(index + kRecentTab); });

    m_grid->setViewMode(QListView::IconMode);
    m_grid->setMovement(QListView::Static);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setFlow(QListView::LeftToRight);
    m_grid->setWrapping(true);
    m_grid->setUniformItemSizes(true);
    m_grid->setSelectionMode(QAbstractItemView::SingleSelection);
    m_grid->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_grid->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    m_grid->setTabKeyNavigation(false);
    m_grid->setMouseTracking(true);
    connect(m_grid, &QListWidget::itemClicked, this, &EmojiPicker::chooseCurrent);

    auto *layout = new QVBoxLayout(this);
    const int gap = fontMetrics().height() / 3;
    layout->setContentsMargins(gap, gap, gap, gap);
    layout->setSpacing(gap);
    layout->addWidget(m_search);
    layout->addWidget(m_tabs);
    layout->addWidget(m_grid, 1);
    layout->addWidget(m_empty, 1);

    m_search->installEventFilter(this);
    m_grid->installEventFilter(this);
    connect(m_search, &QLineEdit::textChanged, this, &EmojiPicker::refresh);
    setFocusProxy(m_search);
    applyFonts();
    retranslate();
    showTab(kRecentTab);
}

void EmojiPicker::setSettings(session::AppSettings *settings)
{
    m_settings = settings;
}

QStringList EmojiPicker::recent() const
{
    return m_settings ? m_settings->recentEmoji() : m_recent;
}

void EmojiPicker::noteUsed(const QString &emoji)
{
    QStringList list = recent();
    list.removeAll(emoji);
    list.prepend(emoji);
    while (list.size() > kMaxRecent)
        list.removeLast();
    if (m_settings)
        m_settings->setRecentEmoji(list);
    else
        m_recent = list;
}

void EmojiPicker::popup(QWidget *anchor)
{
    m_search->clear();
    showTab(recent().isEmpty() ? int(EmojiCatalog::Category::Smileys) : kRecentTab);
    adjustSize();
    const QSize size = sizeHint();
    QPoint pos;
    QRect screen;
    if (anchor) {
        const QPoint topRight = anchor->mapToGlobal(QPoint(anchor->width(), 0));
        const QPoint bottomRight = anchor->mapToGlobal(QPoint(anchor->width(), anchor->height()));
        QScreen *where = anchor->screen();
        screen = where ? where->availableGeometry() : QRect();
        pos = QPoint(topRight.x() - size.width(), topRight.y() - size.height());
        if (screen.isValid() && pos.y() < screen.top())
            pos.setY(bottomRight.y()); // no room above: open below
    }
    if (screen.isValid()) {
        pos.setX(
            qBound(screen.left(), pos.x(), qMax(screen.left(), screen.right() - size.width())));
        pos.setY(
            qBound(screen.top(), pos.y(), qMax(screen.top(), screen.bottom() - size.height())));
    }
    move(pos);
    show();
    raise();
    activateWindow();
    m_search->setFocus(Qt::PopupFocusReason);
}

void EmojiPicker::showTab(int tab)
{
    m_tab = tab;
    if (m_tabs->currentIndex() != tab - kRecentTab) {
        const QSignalBlocker block(m_tabs);
        m_tabs->setCurrentIndex(tab - kRecentTab);
    }
    if (!m_search->text().isEmpty()) {
        const QSignalBlocker block(m_search);
        m_search->clear();
    }
    refresh();
}

void EmojiPicker::refresh()
{
    const QString query = m_search->text().trimmed();
    QStringList emoji;
    if (!query.isEmpty()) {
        // Matches from every category; recently used ones first.
        QStringList others;
        const QStringList recentList = recent();
        for (const EmojiCatalog::Entry &entry : EmojiCatalog::search(query))
            (recentList.contains(entry.emoji) ? emoji : others).append(entry.emoji);
        std::sort(emoji.begin(), emoji.end(), [&recentList](const QString &a, const QString &b) {
            return recentList.indexOf(a) < recentList.indexOf(b);
        });
        emoji += others;
    } else if (m_tab == kRecentTab) {
        emoji = recent();
    } else {
        for (const EmojiCatalog::Entry &entry :
             EmojiCatalog::inCategory(EmojiCatalog::Category(m_tab)))
            emoji.append(entry.emoji);
    }
    fill(emoji);
    if (emoji.isEmpty()) {
        m_empty->setText(query.isEmpty() ? tr("Emoji you use appear here")
                                         : tr("No emoji found for “%1”").arg(query));
    }
    m_empty->setVisible(emoji.isEmpty());
    m_grid->setVisible(!emoji.isEmpty());
}

void EmojiPicker::fill(const QStringList &emoji)
{
    m_grid->clear();
    for (const QString &e : emoji) {
        auto *item = new QListWidgetItem(e, m_grid);
        const QString name = EmojiCatalog::nameOf(e);
        item->setData(Qt::UserRole, e);
        item->setData(Qt::ToolTipRole, name);
        item->setData(Qt::AccessibleTextRole, name.isEmpty() ? e : name);
        item->setTextAlignment(Qt::AlignCenter);
    }
    if (m_grid->count() > 0)
        m_grid->setCurrentRow(0);
}

QStringList EmojiPicker::shownEmoji() const
{
    QStringList emoji;
    for (int i = 0; i < m_grid->count(); ++i)
        emoji.append(m_grid->item(i)->data(Qt::UserRole).toString());
    return emoji;
}

void EmojiPicker::chooseCurrent()
{
    if (QListWidgetItem *item = m_grid->currentItem())
        choose(item->data(Qt::UserRole).toString());
}

void EmojiPicker::choose(const QString &emoji)
{
    if (emoji.isEmpty())
        return;
    noteUsed(emoji);
    hide();
    emit emojiChosen(emoji);
}

bool EmojiPicker::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QFrame::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
    if (key->key() == Qt::Key_Escape) {
        hide();
        return true;
    }
    if (watched == m_search) {
        if (enter) {
            chooseCurrent(); // the first match, or the one moved to
            return true;
        }
        if (key->key() == Qt::Key_Down && m_grid->count() > 0) {
            m_grid->setFocus(Qt::TabFocusReason);
            if (!m_grid->currentItem())
                m_grid->setCurrentRow(0);
            return true;
        }
    } else if (watched == m_grid) {
        if (enter) {
            chooseCurrent();
            return true;
        }
        if (key->key() == Qt::Key_Up) {
            // From the top row back up to the search field.
            const int row = m_grid->currentRow();
            if (row < 0 || m_grid->visualItemRect(m_grid->item(row)).top() <=
                               m_grid->visualItemRect(m_grid->item(0)).top()) {
                m_search->setFocus(Qt::BacktabFocusReason);
                return true;
            }
        }
        // Typing in the grid searches.
        const QString text = key->text();
        if (!text.isEmpty() && text.at(0).isPrint() &&
            !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))) {
            m_search->setFocus(Qt::OtherFocusReason);
            m_search->insert(text);
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void EmojiPicker::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        hide();
        return;
    }
    QFrame::keyPressEvent(event);
}

void EmojiPicker::hideEvent(QHideEvent *event)
{
    QFrame::hideEvent(event);
    emit closed();
}

void EmojiPicker::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::FontChange)
        applyFonts();
    QFrame::changeEvent(event);
}

void EmojiPicker::applyFonts()
{
    QFont big = Emoji::emojiFirst(font());
    big.setPointSizeF(font().pointSizeF() * 1.5);
    m_grid->setFont(big);
    m_tabs->setFont(Emoji::emojiFirst(font()));
    const int cell = QFontMetrics(big).height() + fontMetrics().height() / 2;
    m_grid->setGridSize(QSize(cell, cell));
    const int frame = m_grid->frameWidth() * 2;
    // At least kColumns × kRows; wider when the tab row is (more columns then).
    m_grid->setMinimumSize(kColumns * cell + m_grid->verticalScrollBar()->sizeHint().width() +
                               frame + 2,
                           kRows * cell + frame);
}

void EmojiPicker::retranslate()
{
    const QString names[] = {tr("Recently used"),   tr("Smileys & emotion"),
                             tr("People & body"),   tr("Animals & nature"),
                             tr("Food & drink"),    tr("Activities"),
                             tr("Travel & places"), tr("Objects"),
                             tr("Symbols"),         tr("Flags")};
    for (int i = 0; i < m_tabs->count(); ++i) {
        m_tabs->setAccessibleTabName(i, names[i]);
        m_tabs->setTabToolTip(i, names[i]);
    }
    m_tabs->setAccessibleName(tr("Categories"));
    setAccessibleName(tr("Emoji"));
    enableNamedClearButton(m_search, QStringLiteral("emojiSearchClearButton"), tr("Clear search"));
    m_search->setPlaceholderText(tr("Search emoji"));
    m_search->setAccessibleName(tr("Search emoji"));
    m_search->setAccessibleDescription(
        tr("Type a name to search; Down moves to the emoji, Enter inserts the first"));
    m_grid->setAccessibleName(tr("Emoji"));
    m_grid->setAccessibleDescription(tr("Arrow keys move, Enter inserts, Esc closes"));
    refresh();
}

} // namespace tern::app::ui
