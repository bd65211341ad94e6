#include "app/ui/FindBar.h"

#include "app/models/MessageListModel.h"
#include "app/models/WhenReady.h"
#include "app/session/AccountSession.h"
#include "app/ui/ClearButton.h"
#include "app/ui/Icons.h"
#include "app/ui/MessageDelegate.h"
#include "app/ui/MessageView.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QSet>
#include <QShortcut>
#include <QToolButton>

namespace tern::app::ui {

using models::MessageListModel;

namespace {
// The index is asked once typing pauses this long; matches in one chat asked for at most.
constexpr int kIndexDelayMs = 150;
constexpr int kMaxIndexMatches = 1000;
} // namespace

FindBar::FindBar(MessageView *view, QWidget *shortcutScope, QWidget *parent)
    : QWidget(parent), m_view(view), m_field(new QLineEdit(this)), m_count(new QLabel(this)),
      m_newer(new QToolButton(this)), m_older(new QToolButton(this))
{
    setObjectName(QStringLiteral("findBar"));
    m_field->setObjectName(QStringLiteral("findField"));
    m_field->setPlaceholderText(tr("Find in this chat"));
    m_field->setAccessibleName(tr("Find in this chat"));
    enableNamedClearButton(m_field, QStringLiteral("findClearButton"), tr("Clear search"));
    m_field->installEventFilter(this);
    m_count->setObjectName(QStringLiteral("findCount"));
    m_count->setTextFormat(Qt::PlainText);
    m_count->setAlignment(Qt::AlignCenter);
    // "Next" goes back in time, as reading a chat upward does (Telegram's order too).
    m_older->setObjectName(QStringLiteral("findNext"));
    m_older->setText(QStringLiteral("▲"));
    m_older->setToolTip(tr("Older match (Enter, F3)"));
    m_older->setAccessibleName(tr("Older match"));
    m_newer->setObjectName(QStringLiteral("findPrevious"));
    m_newer->setText(QStringLiteral("▼"));
    m_newer->setToolTip(tr("Newer match (Shift+Enter, Shift+F3)"));
    m_newer->setAccessibleName(tr("Newer match"));
    m_older->setAutoRaise(true);
    m_newer->setAutoRaise(true);
    Icons::bind(m_older, Icons::Icon::ChevronUp);
    Icons::bind(m_newer, Icons::Icon::ChevronDown);
    auto *close = new QToolButton(this);
    close->setObjectName(QStringLiteral("closeFindButton"));
    close->setText(tr("Close"));
    close->setToolTip(tr("Close"));
    close->setAccessibleName(tr("Close the find bar"));
    close->setAutoRaise(true);
    Icons::bind(close, Icons::Icon::Close);

    const int margin = fontMetrics().height() / 2;
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(margin, margin / 2, margin, margin / 2);
    layout->addWidget(m_field, 1);
    layout->addWidget(m_count);
    layout->addWidget(m_older);
    layout->addWidget(m_newer);
    layout->addWidget(close);

    m_indexDelay.setSingleShot(true);
    m_indexDelay.setInterval(kIndexDelayMs);
    connect(&m_indexDelay, &QTimer::timeout, this, &FindBar::searchIndex);
    connect(m_field, &QLineEdit::textChanged, this, [this] {
        m_current = -1; // a new text starts again at the newest match
        refresh();
        m_indexDelay.start();
    });
    connect(m_older, &QToolButton::clicked, this, &FindBar::findOlder);
    connect(m_newer, &QToolButton::clicked, this, &FindBar::findNewer);
    connect(close, &QToolButton::clicked, this, &FindBar::closeRequested);
    auto *f3 = new QShortcut(QKeySequence(Qt::Key_F3), shortcutScope);
    f3->setContext(Qt::WidgetWithChildrenShortcut);
    connect(f3, &QShortcut::activated, this, &FindBar::findOlder);
    auto *shiftF3 = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3), shortcutScope);
    shiftF3->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shiftF3, &QShortcut::activated, this, &FindBar::findNewer);

    // Pages arriving, new messages, another chat: recount once the model has settled.
    m_modelChanged.setSingleShot(true);
    m_modelChanged.setInterval(0);
    connect(&m_modelChanged, &QTimer::timeout, this, &FindBar::refresh);
    QAbstractItemModel *model = m_view->model();
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, [this] {
            if (isVisible())
                m_modelChanged.start();
        });
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        if (isVisible())
            m_modelChanged.start();
    });
    updateCount();
}

void FindBar::setChat(session::AccountSession *session, const QString &conversation)
{
    m_session = session;
    m_conversation = conversation;
    m_indexText.clear();
    m_indexMatches.clear();
}

void FindBar::open()
{
    show();
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
    refresh();
    searchIndex();
}

void FindBar::searchIndex()
{
    m_indexDelay.stop();
    const QString needle = m_field->text().trimmed();
    if (!m_session || m_conversation.isEmpty() || !isVisible() || needle.isEmpty() ||
        needle == m_indexText)
        return;
    const QString conversation = m_conversation;
    models::whenReady(this, m_session->searchMessages({needle, conversation, kMaxIndexMatches}),
                      [this, needle, conversation](Result<QList<cache::LocalSearchHit>> hits) {
                          // Another text or chat since: that one's answer counts.
                          if (!hits || conversation != m_conversation ||
                              needle != m_field->text().trimmed() || !isVisible())
                              return;
                          m_indexText = needle;
                          m_indexMatches.clear();
                          for (const cache::LocalSearchHit &hit : std::as_const(*hits))
                              m_indexMatches.append({hit.seq, hit.id});
                          refresh();
                      });
}

void FindBar::findOlder()
{
    if (!isVisible() || m_matches.isEmpty())
        return;
    select((m_current + 1) % int(m_matches.size()));
}

void FindBar::findNewer()
{
    if (!isVisible() || m_matches.isEmpty())
        return;
    const int count = int(m_matches.size());
    select(m_current <= 0 ? count - 1 : m_current - 1);
}

bool FindBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (key->modifiers() & Qt::ShiftModifier)
                findNewer();
            else
                findOlder();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FindBar::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_modelChanged.start(); // highlights come back when the pane shows again
}

void FindBar::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_matches.clear();
    m_indexMatches.clear();
    m_indexText.clear();
    m_current = -1;
    updateHighlight();
}

void FindBar::refresh()
{
    const QString needle = m_field->text().trimmed();
    const QString currentId =
        m_current >= 0 && m_current < m_matches.size() ? m_matches.at(m_current).id : QString();
    m_matches.clear();
    QAbstractItemModel *model = m_view->model();
    QSet<QString> ids;
    if (!needle.isEmpty()) {
        for (int row = model->rowCount() - 1; row >= 0; --row) {
            const QModelIndex index = model->index(row, 0);
            if (MessageListModel::kindAt(index) == protocol::MessageKind::Text &&
                index.data(MessageListModel::TextRole)
                    .toString()
                    .contains(needle, Qt::CaseInsensitive)) {
                const QString id = index.data(MessageListModel::MessageIdRole).toString();
                m_matches.append({index.data(MessageListModel::SeqRole).toLongLong(), id});
                ids.insert(id);
            }
        }
        if (needle == m_indexText) {
            for (const Match &match : std::as_const(m_indexMatches)) {
                if (!ids.contains(match.id))
                    m_matches.append(match);
            }
        }
        // Newest first; queued messages (no seq yet) are the newest of all.
        const auto newest = [](const Match &m) {
            return m.seq > 0 ? m.seq : std::numeric_limits<qint64>::max();
        };
        std::stable_sort(m_matches.begin(), m_matches.end(),
                         [&](const Match &a, const Match &b) { return newest(a) > newest(b); });
    }
    m_current = -1;
    for (int i = 0; i < m_matches.size() && !currentId.isEmpty(); ++i) {
        if (m_matches.at(i).id == currentId)
            m_current = i;
    }
    if (m_current < 0 && !m_matches.isEmpty()) {
        select(0); // the newest match, as the user types
        return;
    }
    updateCount();
    updateHighlight();
}

void FindBar::select(int match)
{
    m_current = match;
    const Match &found = m_matches.at(match);
    MessageListModel *model = m_view->messageModel();
    int row = found.seq > 0 && model ? model->rowOfSeq(found.seq) : -1;
    for (int i = m_view->model()->rowCount() - 1; row < 0 && found.seq <= 0 && i >= 0; --i) {
        if (m_view->model()->index(i, 0).data(MessageListModel::MessageIdRole).toString() ==
            found.id)
            row = i;
    }
    if (row >= 0) {
        const QModelIndex index = m_view->model()->index(row, 0);
        m_view->setCurrentIndex(index);
        m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
    } else if (found.seq > 0) {
        emit showRequested(found.seq); // older than the loaded rows: the pane pages to it
    }
    updateCount();
    updateHighlight();
}

void FindBar::updateCount()
{
    const int count = int(m_matches.size());
    // Room for the longest text up front: the field does not jump while typing.
    const QFontMetrics metrics = m_count->fontMetrics();
    m_count->setMinimumWidth(
        qMax(metrics.horizontalAdvance(tr("No matches")),
             metrics.horizontalAdvance(tr("%1 of %n", nullptr, 999).arg(999))));
    if (m_field->text().trimmed().isEmpty())
        m_count->clear();
    else if (count == 0)
        m_count->setText(tr("No matches"));
    else
        //: Find in chat: the current match of all matches, e.g. "3 of 12"
        m_count->setText(tr("%1 of %n", nullptr, count).arg(m_current + 1));
    m_older->setEnabled(count > 1);
    m_newer->setEnabled(count > 1);
}

void FindBar::updateHighlight()
{
    const QString needle = isVisible() ? m_field->text().trimmed() : QString();
    const QString currentId =
        m_current >= 0 && m_current < m_matches.size() ? m_matches.at(m_current).id : QString();
    MessageDelegate *delegate = m_view->messageDelegate();
    if (delegate->findText() == needle && delegate->currentFindId() == currentId)
        return;
    delegate->setFindHighlight(needle, currentId);
    m_view->viewport()->update(); // only what is visible repaints
}

} // namespace tern::app::ui
