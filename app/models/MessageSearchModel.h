#pragma once

//! Results of the one search box over every chat: the cached messages matching the typed words
//! (LocalStore::search), grouped by chat, each chat's best hit first.
//
// Rows are a header per chat (its name; not selectable) followed by its hits (sender, time and
// a snippet whose matched words sit between U+0002 and U+0003). A section from another source
// (the server's `search`, later) would add its own header and hits after these. Threading: main
// thread; the query runs on the cache's thread and an answer to an older text is dropped.

#include <QAbstractListModel>
#include <QList>
#include <QPair>
#include <QTimer>

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
    };
    Q_ENUM(Role)
    //! Hits asked for per search.
    static constexpr int kLimit = 50;

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
    int hitCount() const { return m_hitCount; }
    //! A snippet as plain text (markers removed) and the [start, length) ranges it highlights.
    static QString plainSnippet(const QString &snippet, QList<QPair<int, int>> *highlights);

signals:
    //! The results for query() are in (also when there are none).
    void searchFinished(int hits);

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
    };
    void run();
    QString senderName(const QString &userId) const;

    client::ChatClient *m_client;
    cache::LocalStore *m_store;
    ConversationListModel *m_conversations;
    UserDirectory *m_users;
    QList<Row> m_rows;
    QString m_query;
    int m_hitCount = 0;
    quint64 m_generation = 0;
    QTimer m_debounce;
};

} // namespace tern::app::models
