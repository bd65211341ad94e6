#pragma once

//! Results of the one search box over every chat: the cached messages matching the typed words
//! (LocalStore::search), grouped by chat, each chat's best hit first; then "On the server": what
//! the server's `search` finds that is not cached here, a "More" row paging further.
//
// Rows are a header per chat (its name; not selectable) followed by its hits (sender, time and
// a snippet whose matched words sit between U+0002 and U+0003, mention markup shown as names).
// The server group has one header; its hits name their chat with the sender. The server is asked
// only while online and a moment after the local answer (it allows 30 searches a minute).
// Threading: main thread; the queries run on the cache's thread and the connection; an answer to
// an older text is dropped.

#include "shared/protocol/Replies.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QPair>
#include <QTimer>

#include <qcoro/qcorotask.h>

namespace tern::app::cache {
class LocalStore;
}
namespace tern::app::client {
class ChatClient;
}

namespace tern::app::models {

class ConversationListModel;
class UserDirectory;

class MessageSearchModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        IsHeaderRole = Qt::UserRole + 1,
        ConversationIdRole,
        SeqRole,
        SenderNameRole,
        TimestampRole, // server_ts, ms
        SnippetRole,   // with the STX/ETX markers
        IsServerRole,  // a hit (or header) of the "On the server" group
        IsMoreRole,    // the row that asks the server for its next page
    };
    Q_ENUM(Role)
    //! Hits asked for per search.
    static constexpr int kLimit = 50;
    //! Pause after the local answer before the server is asked (typing a word asks once).
    static constexpr int kServerDelayMs = 400;
    //! The server's hits kept at most (pages of 20 via "More").
    static constexpr int kMaxServerHits = 500;

    MessageSearchModel(client::ChatClient *client, cache::LocalStore *store,
                       ConversationListModel *conversations, UserDirectory *users,
                       QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    //! Searches for `text` a moment after the last change (typing does not query per key);
    //! empty clears the results at once.
    void setQuery(const QString &text);
    QString query() const { return m_query; }
    //! Hits among the cached messages.
    int hitCount() const { return m_hitCount; }
    //! Hits of the "On the server" group.
    int serverHitCount() const { return m_serverHitCount; }
    //! Asks the server for its next page of hits (the "More" row does this).
    void fetchMoreFromServer();
    //! A snippet with mention markup shown as "@Name" (markers kept, moved off the markup).
    static QString renderSnippet(const QString &snippet, const QHash<QString, QString> &names);
    //! A snippet as plain text (markers removed) and the [start, length) ranges it highlights.
    static QString plainSnippet(const QString &snippet, QList<QPair<int, int>> *highlights);

signals:
    //! The results for query() are in (also when there are none).
    void searchFinished(int hits);
    //! A page of the server's hits is in (or the server could not be asked): `hits` in all.
    void serverSearchFinished(int hits);

private:
    struct Row
    {
        bool header = false;
        QString conversation;
        QString title; // header: the chat's name
        qint64 seq = 0;
        QString sender;
        qint64 serverTs = 0;
        QString snippet;
        bool server = false;
        bool more = false;
    };
    void run();
    QCoro::Task<> askServer(quint64 generation, QString cursor);
    void addServerHits(const protocol::SearchReply &reply);
    QString senderName(const QString &userId) const;

    client::ChatClient *m_client;
    cache::LocalStore *m_store;
    ConversationListModel *m_conversations;
    UserDirectory *m_users;
    QList<Row> m_rows;
    QString m_query;
    int m_hitCount = 0;
    int m_serverHitCount = 0;
    QString m_serverCursor; // the server's next page, "" when there is none
    bool m_serverAsking = false;
    quint64 m_generation = 0;
    QTimer m_debounce;
    QTimer m_serverDelay;
};

} // namespace tern::app::models
