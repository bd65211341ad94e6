#include "app/ui/UserSearchWidget.h"

#include "app/client/ChatClient.h"
#include "app/client/Inbox.h"
#include "app/ui/ClearButton.h"
#include "app/ui/RequestErrorText.h"
#include "app/ui/Theme.h"
#include "shared/model/Limits.h"

#include <QEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace tern::app::ui {

namespace {
constexpr int kUserIdRole = Qt::UserRole + 1;
}

UserSearchWidget::UserSearchWidget(client::ChatClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_field(new QLineEdit(this)),
      m_list(new QListWidget(this)), m_status(new QLabel(this))
{
    m_field->setObjectName(QStringLiteral("userSearchField"));
    enableNamedClearButton(m_field, QStringLiteral("userSearchClearButton"), tr("Clear search"));
    m_field->setMaxLength(limits::kMaxSearchQueryChars);
    m_field->installEventFilter(this);
    m_list->setObjectName(QStringLiteral("userSearchResults"));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setUniformItemSizes(true);
    m_status->setObjectName(QStringLiteral("userSearchStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_field);
    layout->addWidget(m_status);
    layout->addWidget(m_list, 1);
    setFocusProxy(m_field);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &UserSearchWidget::searchNow);
    connect(m_field, &QLineEdit::textChanged, this, &UserSearchWidget::onTextChanged);
    connect(m_list, &QListWidget::itemActivated, this, &UserSearchWidget::activateCurrent);
    connect(m_list, &QListWidget::currentRowChanged, this, &UserSearchWidget::currentUserChanged);
    retranslate();
}

QString UserSearchWidget::describe(const protocol::UserInfo &user)
{
    if (user.user.isEmpty()) // a suggestion whose user name was never seen
        return user.displayName.isEmpty() ? user.userId : user.displayName;
    //: A user in a list: display name, then the @user name.
    return tr("%1  @%2").arg(user.displayName.isEmpty() ? user.user : user.displayName, user.user);
}

void UserSearchWidget::retranslate()
{
    m_field->setPlaceholderText(tr("Search by name or user name"));
    m_field->setAccessibleName(tr("Search users"));
    m_field->setAccessibleDescription(
        tr("Type a name; use the arrow keys to choose a result and Enter to pick it"));
    m_list->setAccessibleName(tr("Users found"));
}

void UserSearchWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void UserSearchWidget::setExcludedUserIds(const QSet<QString> &ids)
{
    m_excluded = ids;
    if (!m_results.isEmpty())
        showResults(m_results);
}

void UserSearchWidget::setSuggestions(const QList<protocol::UserInfo> &users)
{
    m_suggestions = users;
    if (query().isEmpty())
        showSuggestions();
}

void UserSearchWidget::showSuggestions()
{
    showResults(m_suggestions);
    //: Heading of the people offered before anything is typed in "New chat".
    setStatus(m_results.isEmpty() ? QString() : tr("Recent chats"), false);
}

QString UserSearchWidget::query() const
{
    return m_field->text().trimmed();
}

std::optional<protocol::UserInfo> UserSearchWidget::currentUser() const
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_results.size())
        return std::nullopt;
    return m_results.at(row);
}

QString UserSearchWidget::statusText() const
{
    return m_status->isHidden() ? QString() : m_status->text();
}

void UserSearchWidget::clear()
{
    m_field->clear(); // onTextChanged clears the rest
}

void UserSearchWidget::onTextChanged()
{
    ++m_serial; // whatever is in flight answers an older question now
    if (query().isEmpty()) {
        m_debounce.stop();
        m_searching = false;
        m_lastQuery.clear();
        showSuggestions();
        return;
    }
    m_debounce.start();
}

void UserSearchWidget::searchNow()
{
    m_debounce.stop();
    const QString text = query();
    if (text.isEmpty() || !m_client)
        return;
    const quint64 serial = ++m_serial;
    m_searching = true;
    setStatus(tr("Searching…"), false);
    // Runs on by itself; the answer is applied only if it is still the latest question.
    QCoro::Task<> search = runSearch(text, serial);
    Q_UNUSED(search);
}

QCoro::Task<> UserSearchWidget::runSearch(QString query, quint64 serial)
{
    QPointer<UserSearchWidget> self(this);
    QCoro::Task<Result<QList<protocol::UserInfo>>> asking = m_client->inbox()->searchUsers(query);
    const Result<QList<protocol::UserInfo>> found = co_await asking;
    if (!self || serial != m_serial)
        co_return;
    m_searching = false;
    m_lastQuery = query;
    if (!found) {
        showResults({});
        setStatus(RequestErrorText::describe(found.error()), true);
    } else {
        showResults(found.value());
        setStatus(m_results.isEmpty() ? tr("No users found") : QString(), false);
    }
    emit searchFinished();
}

void UserSearchWidget::showResults(const QList<protocol::UserInfo> &users)
{
    const std::optional<protocol::UserInfo> previous = currentUser();
    QList<protocol::UserInfo> shown;
    const QString me = m_client ? m_client->connection()->userId() : QString();
    for (const protocol::UserInfo &user : users) {
        if (user.userId != me && !m_excluded.contains(user.userId))
            shown.append(user);
    }
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    m_results = shown;
    int currentRow = shown.isEmpty() ? -1 : 0;
    for (int i = 0; i < shown.size(); ++i) {
        const protocol::UserInfo &user = shown.at(i);
        // Names are other people's text: item views show it as plain text.
        auto *item = new QListWidgetItem(describe(user), m_list);
        item->setData(kUserIdRole, user.userId);
        item->setData(Qt::AccessibleTextRole,
                      user.user.isEmpty()
                          ? describe(user)
                          //: Screen-reader text of a user: display name, user name.
                          : tr("%1, user name %2").arg(user.displayName, user.user));
        if (previous && previous->userId == user.userId)
            currentRow = i;
    }
    m_list->setCurrentRow(currentRow);
    emit currentUserChanged();
}

void UserSearchWidget::setStatus(const QString &text, bool isError)
{
    QPalette palette = this->palette();
    palette.setColor(QPalette::WindowText,
                     isError ? Theme::errorColor(palette) : Theme::secondaryText(palette));
    m_status->setPalette(palette);
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

void UserSearchWidget::activateCurrent()
{
    const std::optional<protocol::UserInfo> user = currentUser();
    if (user)
        emit userActivated(user->userId);
}

bool UserSearchWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const int rows = m_list->count();
        switch (key->key()) {
        case Qt::Key_Down:
        case Qt::Key_Up:
            if (rows > 0) {
                const int step = key->key() == Qt::Key_Down ? 1 : -1;
                const int row = qBound(0, m_list->currentRow() + step, rows - 1);
                m_list->setCurrentRow(row);
                return true;
            }
            break;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            // Results for older text would pick the wrong person: search first.
            if (m_debounce.isActive() || m_searching || query() != m_lastQuery) {
                searchNow();
                return true;
            }
            if (currentUser()) {
                activateCurrent();
                return true;
            }
            return true; // nothing to pick: do not trigger a dialog's default button either
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace tern::app::ui
