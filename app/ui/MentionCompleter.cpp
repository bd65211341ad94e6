#include "app/ui/MentionCompleter.h"

#include "app/models/MessageText.h"

#include <QEvent>
#include <QKeyEvent>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QTextBlock>

#include <algorithm>

namespace tern::app::ui {

namespace {
// A name is looked for this far back from the cursor: "@" plus what was typed of it.
constexpr int kMaxTyped = 32;
constexpr int kUserIdRole = Qt::UserRole + 1;

bool matches(const MentionCompleter::Candidate &candidate, const QString &typed)
{
    if (typed.isEmpty() || candidate.name.startsWith(typed, Qt::CaseInsensitive))
        return true;
    // "@smi" finds "Anna Smith": any word of the name.
    const QStringList words = candidate.name.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return std::any_of(words.cbegin(), words.cend(), [&typed](const QString &word) {
        return word.startsWith(typed, Qt::CaseInsensitive);
    });
}
} // namespace

MentionCompleter::MentionCompleter(QPlainTextEdit *edit) : QObject(edit), m_edit(edit)
{
    m_edit->installEventFilter(this);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &MentionCompleter::update);
    connect(m_edit, &QPlainTextEdit::cursorPositionChanged, this, &MentionCompleter::update);
}

MentionCompleter::~MentionCompleter()
{
    delete m_popup; // a child of the window, which may outlive the editor
}

void MentionCompleter::setCandidates(const QList<Candidate> &candidates)
{
    m_candidates.clear();
    for (Candidate candidate : candidates) {
        // Other users' names: one line (a name with a line break would split the text).
        candidate.name = candidate.name.simplified();
        if (candidate.userId.isEmpty())
            continue;
        if (candidate.name.isEmpty())
            candidate.name = candidate.userId;
        m_candidates.append(candidate);
    }
    std::stable_sort(m_candidates.begin(), m_candidates.end(),
                     [](const Candidate &a, const Candidate &b) {
                         return a.name.localeAwareCompare(b.name) < 0;
                     });
    if (isOpen())
        update();
}

bool MentionCompleter::isOpen() const
{
    return m_popup && m_popup->isVisible();
}

int MentionCompleter::triggerStart(QString *typed) const
{
    const QTextCursor cursor = m_edit->textCursor();
    if (cursor.hasSelection())
        return -1;
    const QString text = cursor.block().text();
    const int pos = cursor.positionInBlock();
    for (int i = pos - 1; i >= 0 && i >= pos - 1 - kMaxTyped; --i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('@')) {
            // "@" starts a word: not the middle of an e-mail address.
            if (i > 0 && !text.at(i - 1).isSpace())
                return -1;
            *typed = text.mid(i + 1, pos - i - 1);
            return cursor.block().position() + i;
        }
        if (c.isSpace())
            return -1;
    }
    return -1;
}

void MentionCompleter::update()
{
    QString typed;
    const int start = m_candidates.isEmpty() ? -1 : triggerStart(&typed);
    if (start != m_dismissedAt)
        m_dismissedAt = -1;
    if (start < 0 || start == m_dismissedAt) {
        close();
        return;
    }
    QList<Candidate> shown;
    for (const Candidate &candidate : std::as_const(m_candidates)) {
        if (matches(candidate, typed))
            shown << candidate;
        if (shown.size() >= kMaxRows)
            break;
    }
    if (shown.isEmpty()) {
        close();
        return;
    }
    if (!m_popup) {
        m_popup = new QListWidget(m_edit->window());
        m_popup->setObjectName(QStringLiteral("mentionPopup"));
        m_popup->setFocusPolicy(Qt::NoFocus); // typing goes on in the editor
        m_popup->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        m_popup->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        m_popup->setUniformItemSizes(true);
        m_popup->setAccessibleName(tr("People to mention"));
        connect(m_popup, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
            m_popup->setCurrentItem(item);
            complete();
        });
    }
    const QString current = m_start == start && m_popup->currentItem()
                                ? m_popup->currentItem()->data(kUserIdRole).toString()
                                : QString();
    m_start = start;
    m_popup->clear();
    int currentRow = 0;
    for (const Candidate &candidate : std::as_const(shown)) {
        auto *item = new QListWidgetItem(candidate.name, m_popup);
        item->setData(kUserIdRole, candidate.userId);
        if (candidate.userId == current)
            currentRow = m_popup->count() - 1;
    }
    m_popup->setCurrentRow(currentRow);
    place();
    m_popup->show();
    m_popup->raise();
}

void MentionCompleter::place()
{
    QWidget *window = m_edit->window();
    if (m_popup->parentWidget() != window) {
        if (m_popup->parentWidget())
            m_popup->parentWidget()->removeEventFilter(this);
        m_popup->setParent(window);
    }
    window->installEventFilter(this); // again is harmless (it only moves to the front)
    const int rows = m_popup->count();
    const int rowHeight = std::max(m_popup->sizeHintForRow(0), m_edit->fontMetrics().height());
    const int height = rows * rowHeight + 2 * m_popup->frameWidth();
    const int width = std::min(m_edit->width(), m_edit->fontMetrics().averageCharWidth() * 40);
    const QPoint editTop = m_edit->mapTo(window, QPoint(0, 0));
    m_popup->setGeometry(editTop.x(), std::max(0, editTop.y() - height), width, height);
}

void MentionCompleter::close()
{
    m_start = -1;
    if (m_popup)
        m_popup->hide();
}

bool MentionCompleter::complete()
{
    if (!isOpen() || !m_popup->currentItem() || m_start < 0)
        return false;
    const Candidate chosen{m_popup->currentItem()->data(kUserIdRole).toString(),
                           m_popup->currentItem()->text()};
    QTextCursor cursor = m_edit->textCursor();
    cursor.setPosition(m_start);
    cursor.setPosition(m_edit->textCursor().position(), QTextCursor::KeepAnchor);
    close();
    m_tokens.append(chosen);
    cursor.insertText(QLatin1Char('@') + chosen.name + QLatin1Char(' '));
    m_edit->setTextCursor(cursor);
    return true;
}

QString MentionCompleter::toMarkup(const QString &text) const
{
    if (m_tokens.isEmpty())
        return text;
    // Longest names first: "@Ann Lee" is not read as "@Ann" followed by " Lee".
    QList<Candidate> tokens = m_tokens;
    std::stable_sort(tokens.begin(), tokens.end(), [](const Candidate &a, const Candidate &b) {
        return a.name.size() > b.name.size();
    });
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size();) {
        bool replaced = false;
        if (text.at(i) == QLatin1Char('@')) {
            for (const Candidate &token : std::as_const(tokens)) {
                const qsizetype end = i + 1 + token.name.size();
                if (QStringView(text).mid(i + 1).startsWith(token.name) &&
                    (end >= text.size() || !text.at(end).isLetterOrNumber())) {
                    out += models::MessageText::mentionMarkup(token.userId);
                    i = end;
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced)
            out += text.at(i++);
    }
    return out;
}

QString MentionCompleter::fromMarkup(const QString &text)
{
    m_tokens.clear();
    QHash<QString, QString> names;
    for (const Candidate &candidate : std::as_const(m_candidates))
        names.insert(candidate.userId, candidate.name);
    QList<models::MessageText::MentionSpan> spans;
    const QString shown = models::MessageText::renderMentions(text, names, &spans);
    for (const models::MessageText::MentionSpan &span : std::as_const(spans)) {
        if (names.contains(span.userId))
            m_tokens.append(Candidate{span.userId, names.value(span.userId)});
    }
    return shown;
}

bool MentionCompleter::eventFilter(QObject *watched, QEvent *event)
{
    // The list sits in the window's coordinates: it follows the editor when the window resizes.
    if (m_popup && watched == m_popup->parentWidget() && event->type() == QEvent::Resize &&
        isOpen())
        place();
    if (watched != m_edit)
        return false;
    if (event->type() == QEvent::FocusOut) {
        close();
        return false;
    }
    if (!isOpen())
        return false;
    if (event->type() == QEvent::ShortcutOverride) {
        // Esc and Tab belong to the list while it is open, not to window shortcuts.
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape || key->key() == Qt::Key_Tab) {
            event->accept();
            return true;
        }
        return false;
    }
    if (event->type() != QEvent::KeyPress)
        return false;
    auto *key = static_cast<QKeyEvent *>(event);
    if (key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return false;
    const int rows = m_popup->count();
    switch (key->key()) {
    case Qt::Key_Up:
        m_popup->setCurrentRow((m_popup->currentRow() + rows - 1) % rows);
        return true;
    case Qt::Key_Down:
        m_popup->setCurrentRow((m_popup->currentRow() + 1) % rows);
        return true;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Tab:
        if (key->modifiers() & Qt::ShiftModifier)
            return false;
        return complete();
    case Qt::Key_Escape:
        m_dismissedAt = m_start;
        close();
        return true;
    default:
        return false;
    }
}

} // namespace tern::app::ui
