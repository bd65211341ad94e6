#include "app/models/MessageSearchModel.h"

#include "app/cache/LocalStore.h"
#include "app/client/ChatClient.h"
#include "app/models/ConversationListModel.h"
#include "app/models/UserDirectory.h"
#include "app/models/WhenReady.h"

#include <QDateTime>
#include <QLocale>

namespace tern::app::models {

namespace {
// Long enough that typing a word asks once, short enough to feel immediate.
constexpr int kDebounceMs = 120;
constexpr QChar kStart(0x02);
constexpr QChar kEnd(0x03);
} // namespace

MessageSearchModel::MessageSearchModel(client::ChatClient *client, cache::LocalStore *store,
                                       ConversationListModel *conversations, UserDirectory *users,
                                       QObject *parent)
    : QAbstractListModel(parent), m_client(client), m_store(store), m_conversations(conversations),
      m_users(users)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &MessageSearchModel::run);
}

int MessageSearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

Qt::ItemFlags MessageSearchModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return m_rows.at(index.row()).header ? Qt::ItemIsEnabled
                                         : Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

QVariant MessageSearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole: {
        if (row.header)
            return row.title;
        const QString time =
            QLocale().toString(QDateTime::fromMSecsSinceEpoch(row.serverTs), QLocale::ShortFormat);
        //: A message search result for screen readers: "Alice, 12/05/26 14:05: the text"
        return tr("%1, %2: %3")
            .arg(senderName(row.sender), time, plainSnippet(row.snippet, nullptr));
    }
    case IsHeaderRole:
        return row.header;
    case ConversationIdRole:
        return row.conversation;
    case SeqRole:
        return row.seq;
    case SenderNameRole:
        return row.header ? QString() : senderName(row.sender);
    case TimestampRole:
        return row.serverTs;
    case SnippetRole:
        return row.snippet;
    default:
        return {};
    }
}

void MessageSearchModel::setQuery(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_query)
        return;
    m_query = trimmed;
    ++m_generation; // an answer to the previous text is dropped
    if (m_query.isEmpty()) {
        m_debounce.stop();
        beginResetModel();
        m_rows.clear();
        m_hitCount = 0;
        endResetModel();
        emit searchFinished(0);
        return;
    }
    m_debounce.start();
}

void MessageSearchModel::run()
{
    const quint64 generation = m_generation;
    cache::SearchQuery query{m_query, QString(), kLimit};
    whenReady(
        this, m_store->search(query),
        [this, generation](Result<QList<cache::LocalSearchHit>> hits) {
            if (generation != m_generation)
                return;
            // Grouped by chat in the order of each chat's best hit; ranked within.
            QStringList order;
            QHash<QString, QList<Row>> groups;
            for (const cache::LocalSearchHit &hit : hits ? *hits : QList<cache::LocalSearchHit>()) {
                if (!groups.contains(hit.conversation))
                    order << hit.conversation;
                groups[hit.conversation].append(Row{false, hit.conversation, QString(), hit.seq,
                                                    hit.sender, hit.serverTs, hit.snippet});
            }
            beginResetModel();
            m_rows.clear();
            m_hitCount = 0;
            for (const QString &conversation : std::as_const(order)) {
                const int at = m_conversations->rowOf(conversation);
                if (at < 0)
                    continue; // a chat we left and no longer list
                m_rows.append(Row{true, conversation, m_conversations->summary(at).name, 0,
                                  QString(), 0, QString()});
                m_rows.append(groups.value(conversation));
                m_hitCount += int(groups.value(conversation).size());
            }
            endResetModel();
            emit searchFinished(m_hitCount);
        });
}

QString MessageSearchModel::senderName(const QString &userId) const
{
    if (userId == m_client->connection()->userId())
        return tr("You");
    return m_users->displayName(userId);
}

QString MessageSearchModel::plainSnippet(const QString &snippet, QList<QPair<int, int>> *highlights)
{
    QString plain;
    plain.reserve(snippet.size());
    int start = -1;
    for (const QChar c : snippet) {
        if (c == kStart) {
            start = int(plain.size());
        } else if (c == kEnd) {
            if (highlights && start >= 0 && plain.size() > start)
                highlights->append({start, int(plain.size()) - start});
            start = -1;
        } else {
            plain += c;
        }
    }
    // A snippet cut inside a match highlights to its end.
    if (highlights && start >= 0 && plain.size() > start)
        highlights->append({start, int(plain.size()) - start});
    return plain;
}

} // namespace tern::app::models
