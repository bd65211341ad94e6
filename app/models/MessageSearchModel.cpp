#include "app/models/MessageSearchModel.h"

#include "app/cache/LocalStore.h"
#include "app/client/ChatClient.h"
#include "app/client/Inbox.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageText.h"
#include "app/models/UserDirectory.h"
#include "app/models/WhenReady.h"

#include <QDateTime>
#include <QLocale>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>

namespace tern::app::models {

namespace {
// Long enough that typing a word asks once, short enough to feel immediate.
constexpr int kDebounceMs = 120;
constexpr QChar kStart(0x02);
constexpr QChar kEnd(0x03);
constexpr int kMaxSnippetChars = 400;
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
    m_serverDelay.setSingleShot(true);
    m_serverDelay.setInterval(kServerDelayMs);
    connect(&m_serverDelay, &QTimer::timeout, this, [this] {
        QCoro::Task<> asking = askServer(m_generation, QString());
        Q_UNUSED(asking); // runs on by itself; a newer text makes it drop its answer
    });
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
        if (row.more)
            return tr("More results from the server");
        const QString time =
            QLocale().toString(QDateTime::fromMSecsSinceEpoch(row.serverTs), QLocale::ShortFormat);
        //: A message search result for screen readers: "Alice, 12/05/26 14:05: the text"
        return tr("%1, %2: %3")
            .arg(data(index, SenderNameRole).toString(), time,
                 plainSnippet(renderSnippet(row.snippet, m_users->names()), nullptr));
    }
    case IsHeaderRole:
        return row.header;
    case ConversationIdRole:
        return row.conversation;
    case SeqRole:
        return row.seq;
    case SenderNameRole: {
        if (row.header || row.more)
            return QString();
        if (!row.server)
            return senderName(row.sender);
        // One group for every chat: the hit says where it is.
        const int at = m_conversations->rowOf(row.conversation);
        return at < 0
                   ? senderName(row.sender)
                   //: A server search hit: the sender, then the chat it is in.
                   : tr("%1 in %2").arg(senderName(row.sender), m_conversations->summary(at).name);
    }
    case TimestampRole:
        return row.serverTs;
    case SnippetRole:
        return renderSnippet(row.snippet, m_users->names());
    case IsServerRole:
        return row.server;
    case IsMoreRole:
        return row.more;
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
    m_serverDelay.stop();
    if (m_query.isEmpty()) {
        m_debounce.stop();
        beginResetModel();
        m_rows.clear();
        m_hitCount = 0;
        m_serverHitCount = 0;
        m_serverCursor.clear();
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
            m_serverHitCount = 0;
            m_serverCursor.clear();
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
            // The server's query allows 1..64 characters; a longer text stays local.
            if (m_client->connection()->state() == client::ChatConnection::State::Online &&
                m_query.size() <= 64)
                m_serverDelay.start();
        });
}

void MessageSearchModel::fetchMoreFromServer()
{
    if (m_serverCursor.isEmpty() || m_serverAsking)
        return;
    QCoro::Task<> asking = askServer(m_generation, m_serverCursor);
    Q_UNUSED(asking);
}

QCoro::Task<> MessageSearchModel::askServer(quint64 generation, QString cursor)
{
    QPointer<MessageSearchModel> self(this);
    m_serverAsking = true;
    QCoro::Task<Result<protocol::SearchReply>> asking =
        m_client->inbox()->searchServer(m_query, QString(), cursor);
    const Result<protocol::SearchReply> reply = co_await asking;
    if (!self)
        co_return;
    m_serverAsking = false;
    if (generation != m_generation)
        co_return;
    if (reply)
        addServerHits(*reply);
    emit serverSearchFinished(m_serverHitCount);
}

void MessageSearchModel::addServerHits(const protocol::SearchReply &reply)
{
    // Only what the local group does not show already (and chats still listed, which a jump
    // can open). The reply is the server's: its size is bounded by the request's limit, the
    // total here by kMaxServerHits.
    QSet<QPair<QString, qint64>> shown;
    for (const Row &row : std::as_const(m_rows)) {
        if (!row.header && !row.more)
            shown.insert({row.conversation, row.seq});
    }
    QList<Row> fresh;
    for (const protocol::SearchHit &hit : reply.hits) {
        if (m_serverHitCount + fresh.size() >= kMaxServerHits)
            break;
        if (hit.seq <= 0 || shown.contains({hit.conversation, hit.seq}) ||
            m_conversations->rowOf(hit.conversation) < 0)
            continue;
        shown.insert({hit.conversation, hit.seq});
        // The server sends at most 200 characters; more is cut, not trusted.
        Row row{false,
                hit.conversation,
                QString(),
                hit.seq,
                hit.from,
                hit.serverTs,
                hit.snippet.left(kMaxSnippetChars)};
        row.server = true;
        fresh.append(row);
    }
    const bool more =
        !reply.nextCursor.isEmpty() && m_serverHitCount + fresh.size() < kMaxServerHits;
    m_serverCursor = more ? reply.nextCursor : QString();
    // The old "More" row goes; new hits (and a header first time), then a new "More" row.
    if (!m_rows.isEmpty() && m_rows.last().more) {
        const int last = int(m_rows.size()) - 1;
        beginRemoveRows(QModelIndex(), last, last);
        m_rows.removeLast();
        endRemoveRows();
    }
    QList<Row> added;
    const bool hasHeader = std::any_of(m_rows.cbegin(), m_rows.cend(),
                                       [](const Row &row) { return row.header && row.server; });
    if (!hasHeader && !fresh.isEmpty()) {
        Row header{true, QString(), tr("On the server"), 0, QString(), 0, QString()};
        header.server = true;
        added.append(header);
    }
    added.append(fresh);
    if (more && (hasHeader || !fresh.isEmpty())) {
        Row row;
        row.server = true;
        row.more = true;
        added.append(row);
    }
    if (added.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows(QModelIndex(), first, first + int(added.size()) - 1);
    m_rows.append(added);
    m_serverHitCount += int(fresh.size());
    endInsertRows();
}

QString MessageSearchModel::renderSnippet(const QString &snippet,
                                          const QHash<QString, QString> &names)
{
    if (!snippet.contains(QLatin1Char('@')) && !snippet.contains(QLatin1Char('>')))
        return snippet;
    // The markers out, the mentions rendered, then each marker back where its text went: a
    // marker inside markup moves to the start (STX) or end (ETX) of the name shown for it.
    QString plain;
    QList<QPair<qsizetype, QChar>> markers;
    for (const QChar c : snippet) {
        if (c == kStart || c == kEnd)
            markers.append({plain.size(), c});
        else
            plain += c;
    }
    // A snippet is cut at word boundaries with an ellipsis, which can leave half of a markup
    // ("…u2ab> hi", "hi <@u2ab…"): made whole again, so no markup shows.
    static const QRegularExpression cutStart(QStringLiteral("^\u2026([A-Za-z0-9]{1,64})>"));
    static const QRegularExpression cutEnd(QStringLiteral("<@([A-Za-z0-9]{1,64})\u2026$"));
    auto insertAt = [&plain, &markers](qsizetype at, const QString &text) {
        plain.insert(at, text);
        for (auto &marker : markers) {
            if (marker.first > at)
                marker.first += text.size();
        }
    };
    if (cutStart.match(plain).hasMatch())
        insertAt(1, QStringLiteral("<@"));
    if (cutEnd.match(plain).hasMatch())
        insertAt(plain.size() - 1, QStringLiteral(">"));
    QList<MessageText::MentionSpan> spans;
    QString out = MessageText::renderMentions(plain, names, &spans);
    auto mapped = [&spans](qsizetype at, bool start) {
        qsizetype shift = 0;
        for (const MessageText::MentionSpan &span : std::as_const(spans)) {
            const qsizetype end = span.sourceStart + span.sourceLength;
            if (at >= end) {
                shift += span.length - span.sourceLength;
            } else if (at > span.sourceStart) {
                return qsizetype(start ? span.start : span.start + span.length);
            } else {
                break;
            }
        }
        return at + shift;
    };
    // Backwards, so inserting a marker does not move the places of the ones before it.
    for (qsizetype i = markers.size() - 1; i >= 0; --i)
        out.insert(mapped(markers.at(i).first, markers.at(i).second == kStart),
                   markers.at(i).second);
    return out;
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
