// ChatPane's message actions: reply, edit, delete (for everyone / for me), reactions and
// forward — from the message menu, the reaction chips, the reply quote and the composer.

#include "app/client/ChatClient.h"
#include "app/client/Inbox.h"
#include "app/client/Outbox.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageListModel.h"
#include "app/models/MessageText.h"
#include "app/session/AccountSession.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/EmojiPicker.h"
#include "app/ui/ForwardDialog.h"
#include "app/ui/RequestErrorText.h"

#include <QAbstractButton>
#include <QMessageBox>
#include <QPushButton>
#include <QToolButton>

#include <algorithm>

#include <qcoro/qcorotask.h>

namespace tern::app::ui {

using models::MessageListModel;

namespace {
// Up edits the newest own editable message among this many of the newest rows.
constexpr int kEditLastScanRows = 500;

//! Runs the hide request to its end; `done` gets the outcome unless `context` is gone by then.
template <typename Done>
QCoro::Task<> runHide(QCoro::Task<Status> request, QPointer<QObject> context, Done done)
{
    const Status status = co_await request;
    if (context)
        done(status);
}
} // namespace

void ChatPane::connectMessageActions()
{
    connect(m_view, &MessageView::replyRequested, this, &ChatPane::replyTo);
    connect(m_view, &MessageView::editRequested, this, &ChatPane::editMessage);
    connect(m_view, &MessageView::deleteRequested, this, &ChatPane::deleteMessage);
    connect(m_view, &MessageView::reactionToggled, this, &ChatPane::toggleReaction);
    connect(m_view, &MessageView::reactionPickerRequested, this, &ChatPane::pickReaction);
    connect(m_view, &MessageView::forwardRequested, this, &ChatPane::forwardMessage);
    connect(m_view, &MessageView::replyActivated, this, [this](const QModelIndex &index) {
        const qint64 original = index.data(MessageListModel::ReplyToRole).toLongLong();
        if (original > 0 && !m_conversation.isEmpty())
            showMessage(m_conversation, original);
    });
    connect(m_composer, &Composer::editSaveRequested, this,
            [this](qint64 seq, const QString &text) {
                MessageListModel *model = m_view->messageModel();
                if (m_session && model)
                    m_session->client()->outbox()->sendEdit(model->sendAddress(), seq, text);
            });
    connect(m_composer, &Composer::editLastRequested, this, &ChatPane::editLastMessage);
}

QString ChatPane::addressOf(const QString &conversation) const
{
    if (!m_session)
        return conversation;
    const int row = m_session->conversations()->rowOf(conversation);
    if (row < 0)
        return conversation;
    const protocol::ConversationSummary summary = m_session->conversations()->summary(row);
    if (summary.kind != protocol::ConversationKind::Direct)
        return conversation;
    // As MessageListModel::sendAddress: the peer of a direct chat, so queued messages show
    // wherever that chat is looked at.
    const QString me = m_session->client()->connection()->userId();
    QStringList others;
    for (const protocol::MemberInfo &member : summary.members) {
        if (member.userId != me)
            others.append(member.userId);
    }
    return others.size() == 1 ? others.first() : conversation;
}

void ChatPane::replyTo(const QModelIndex &index)
{
    MessageListModel *model = m_view->messageModel();
    const qint64 seq = index.data(MessageListModel::SeqRole).toLongLong();
    if (!model || seq <= 0 || index.data(MessageListModel::DeletedRole).toBool())
        return;
    const QString name = index.data(MessageListModel::IsOwnRole).toBool()
                             ? tr("yourself")
                             : index.data(MessageListModel::SenderNameRole).toString();
    const protocol::MessageEvent original = model->messageAt(index.row());
    // A text's shown text has its mentions as names; the summary names what media is.
    const QString excerpt = original.kind == protocol::MessageKind::Text
                                ? index.data(MessageListModel::TextRole).toString()
                                : models::MessageText::summary(original, {});
    m_composer->startReply(seq, name, excerpt);
}

void ChatPane::editMessage(const QModelIndex &index)
{
    MessageListModel *model = m_view->messageModel();
    const qint64 seq = index.data(MessageListModel::SeqRole).toLongLong();
    if (!model || seq <= 0 || !index.data(MessageListModel::CanEditRole).toBool())
        return;
    const protocol::MessageEvent original = model->messageAt(index.row());
    // A picture's or file's caption may be emptied; a text message needs text.
    const bool media = original.kind == protocol::MessageKind::Image ||
                       original.kind == protocol::MessageKind::File;
    m_composer->startEdit(seq, original.content, media);
}

bool ChatPane::editLastMessage()
{
    MessageListModel *model = m_view->messageModel();
    if (!model)
        return false;
    const int last = model->rowCount() - 1;
    for (int row = last; row >= 0 && row > last - kEditLastScanRows; --row) {
        const QModelIndex index = model->index(row);
        if (index.data(MessageListModel::CanEditRole).toBool()) {
            // No jump: the bar shows the text, and a chat pinned to the bottom stays pinned.
            editMessage(index);
            return true;
        }
    }
    return false;
}

void ChatPane::deleteMessage(const QModelIndex &index, bool forEveryone)
{
    MessageListModel *model = m_view->messageModel();
    const qint64 seq = index.data(MessageListModel::SeqRole).toLongLong();
    if (!m_session || !model || seq <= 0)
        return;
    if (forEveryone && !index.data(MessageListModel::CanDeleteForEveryoneRole).toBool())
        return;
    // "Delete for me" takes every selected stored message when the menu's row is among them.
    QList<qint64> seqs{seq};
    if (!forEveryone && m_view->selectionModel() && m_view->selectionModel()->isSelected(index)) {
        seqs.clear();
        const QModelIndexList selected = m_view->selectionModel()->selectedIndexes();
        for (const QModelIndex &row : selected) {
            const qint64 s = row.data(MessageListModel::SeqRole).toLongLong();
            if (s > 0 && MessageListModel::kindAt(row) != protocol::MessageKind::System)
                seqs.append(s);
        }
        if (seqs.isEmpty())
            seqs = {seq};
    }
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("deleteConfirmDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Question);
    box->setTextFormat(Qt::PlainText);
    box->setWindowTitle(forEveryone ? tr("Delete for everyone") : tr("Delete for me"));
    box->setText(
        forEveryone ? tr("Delete this message for everyone in the chat? This cannot be undone.")
        : seqs.size() > 1 ? tr("Delete %n message(s) from your devices? The others still see them.",
                               nullptr, int(seqs.size()))
                          : tr("Delete this message from your devices? The others still see it."));
    QPushButton *remove = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("deleteButton"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    // The safe choice is the one under Enter.
    box->setDefaultButton(cancel);
    const QString conversation = model->conversationId();
    const QString address = model->sendAddress();
    QPointer<ChatPane> self(this);
    connect(
        box, &QMessageBox::buttonClicked, this,
        [self, remove, forEveryone, conversation, address, seq, seqs](QAbstractButton *clicked) {
            if (!self || clicked != remove || !self->m_session)
                return;
            client::ChatClient *client = self->m_session->client();
            if (forEveryone) {
                client->outbox()->sendDelete(address, seq);
                return;
            }
            QCoro::Task<> running = runHide(
                client->inbox()->hideMessages(conversation, seqs), QPointer<QObject>(self),
                [self](const Status &status) {
                    if (!status)
                        self->showActionError(tr("The message could not be deleted: %1")
                                                  .arg(RequestErrorText::describe(status.error())));
                });
            Q_UNUSED(running);
        });
    box->open();
    emit deleteConfirmationOpened(box);
}

void ChatPane::showActionError(const QString &text)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Message"), text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("messageActionFailedMessage"));
    box->setTextFormat(Qt::PlainText);
    box->button(QMessageBox::Ok)->setObjectName(QStringLiteral("okButton"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void ChatPane::toggleReaction(const QModelIndex &index, const QString &emoji, bool on)
{
    MessageListModel *model = m_view->messageModel();
    const qint64 seq = index.data(MessageListModel::SeqRole).toLongLong();
    if (!m_session || !model || seq <= 0 || emoji.isEmpty() ||
        index.data(MessageListModel::DeletedRole).toBool())
        return;
    m_session->client()->outbox()->sendReaction(model->sendAddress(), seq, emoji, on);
}

void ChatPane::pickReaction(const QModelIndex &index)
{
    if (!m_reactionPicker) {
        m_reactionPicker = new EmojiPicker(this);
        m_reactionPicker->setObjectName(QStringLiteral("reactionPicker"));
        // The composer's recently used emoji lead here too: one list per profile.
        m_reactionPicker->setSettings(m_composer->emojiPicker()->settings());
        connect(m_reactionPicker, &EmojiPicker::emojiChosen, this, [this](const QString &emoji) {
            if (m_reactionTarget.isValid())
                toggleReaction(m_reactionTarget, emoji, true);
            m_reactionTarget = QPersistentModelIndex();
        });
        connect(m_reactionPicker, &EmojiPicker::closed, this, [this] { m_view->setFocus(); });
    }
    m_reactionTarget = QPersistentModelIndex(index);
    // Where the composer's picker opens (above its emoji button): inside the window, over the
    // newest messages.
    m_reactionPicker->popup(m_composer->emojiButton());
}

void ChatPane::forwardMessage(const QModelIndex &index)
{
    MessageListModel *model = m_view->messageModel();
    if (!m_session || !model || index.data(MessageListModel::SeqRole).toLongLong() <= 0 ||
        index.data(MessageListModel::DeletedRole).toBool())
        return;
    // Every selected message when the menu's row is among them (oldest first), else that one.
    QList<QPersistentModelIndex> rows;
    if (m_view->selectionModel() && m_view->selectionModel()->isSelected(index)) {
        QModelIndexList selected = m_view->selectionModel()->selectedIndexes();
        std::sort(selected.begin(), selected.end(),
                  [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
        for (const QModelIndex &at : std::as_const(selected)) {
            if (at.data(MessageListModel::SeqRole).toLongLong() > 0 &&
                !at.data(MessageListModel::DeletedRole).toBool() &&
                MessageListModel::kindAt(at) != protocol::MessageKind::System)
                rows.append(QPersistentModelIndex(at));
        }
    }
    if (rows.isEmpty())
        rows.append(QPersistentModelIndex(index));
    auto *dialog = new ForwardDialog(m_session->conversations(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, rows] {
        const QStringList chats = dialog->chosenConversations();
        for (const QPersistentModelIndex &row : rows) {
            // The rows are the view's (an identity proxy over the chat's model, same numbers).
            if (row.isValid() && m_view->model() == row.model())
                forwardTo(row.row(), chats);
        }
        // As in Telegram: forwarding to one chat takes you there.
        if (chats.size() == 1 && chats.first() != m_conversation)
            openConversation(chats.first());
    });
    dialog->open();
    emit forwardDialogOpened(dialog);
}

QStringList ChatPane::forwardTo(int row, const QStringList &conversations)
{
    MessageListModel *model = m_view->messageModel();
    QStringList ids;
    if (!m_session || !model || row < 0 || row >= model->rowCount())
        return ids;
    const protocol::MessageEvent original = model->messageAt(row);
    if (original.seq <= 0 || original.deleted)
        return ids;
    for (const QString &conversation : conversations)
        ids.append(m_session->client()->outbox()->forward(addressOf(conversation), original));
    return ids;
}

} // namespace tern::app::ui
