#include "app/ui/ChatPane.h"
#include "app/models/WhenReady.h"

#include "app/client/Inbox.h"
#include "app/client/MediaTransfers.h"
#include "app/client/Outbox.h"
#include "app/models/Avatar.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageListModel.h"
#include "app/models/MessageText.h"
#include "app/models/UserDirectory.h"
#include "app/session/AccountSession.h"
#include "app/ui/ChatHeader.h"
#include "app/ui/Composer.h"
#include "app/ui/ConnectionBanner.h"
#include "app/ui/FileOpener.h"
#include "app/ui/FindBar.h"
#include "app/ui/GroupInfoPanel.h"
#include "app/ui/Icons.h"
#include "app/ui/MentionCompleter.h"
#include "app/ui/MessageDelegate.h"
#include "app/ui/MessageInfoDialog.h"
#include "app/ui/Theme.h"

#include <QAbstractButton>
#include <QDateTime>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace tern::app::ui {

using models::ConversationListModel;
using models::MessageListModel;

namespace {
// Drafts are written this long after the last keystroke (and on switching chats).
constexpr int kDraftDelayMs = 800;
// A chat keeps at most this many loaded rows while scrolled to the bottom.
constexpr int kTrimAboveRows = 4000;
constexpr int kTrimToRows = 2000;
// showMessage() pages back at most this far (rows loaded) and in pages of the server's maximum;
// the message stays selected this long.
constexpr int kMaxJumpRows = 20000;
constexpr int kJumpPageSize = 200;
constexpr int kJumpHighlightMs = 3000;

QString lastSeenText(qint64 lastSeen)
{
    if (lastSeen <= 0)
        return QString();
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(lastSeen);
    const QDate today = QDate::currentDate();
    const QString time = MessageDelegate::shortTime(when.time());
    if (when.date() == today)
        return ChatPane::tr("last seen today at %1").arg(time);
    if (when.date() == today.addDays(-1))
        return ChatPane::tr("last seen yesterday at %1").arg(time);
    return ChatPane::tr("last seen %1").arg(QLocale().toString(when.date(), QLocale::ShortFormat));
}
} // namespace

ChatPane::ChatPane(QWidget *parent)
    : QWidget(parent), m_header(new ChatHeader(this)), m_banner(new ConnectionBanner(this)),
      m_view(new MessageView(this)), m_typing(new QLabel(this)),
      m_findBar(new FindBar(m_view, this, this)), m_composer(new Composer(this)),
      m_opener(new FileOpener(this))
{
    setObjectName(QStringLiteral("chatPane"));
    m_view->setObjectName(QStringLiteral("messageView"));
    m_view->setAccessibleName(tr("Messages"));
    m_typing->setTextFormat(Qt::PlainText);
    m_typing->setObjectName(QStringLiteral("typingLine"));
    QPalette typingPalette = m_typing->palette();
    typingPalette.setColor(QPalette::WindowText, Theme::accent(palette()));
    m_typing->setPalette(typingPalette);
    const int margin = fontMetrics().height() / 2;
    m_typing->setContentsMargins(margin * 2, 0, margin, 0);
    m_typing->hide();

    m_findBar->hide();

    m_column = new QWidget(this);
    auto *column = new QVBoxLayout(m_column);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    column->addWidget(m_header);
    column->addWidget(m_banner);
    column->addWidget(m_findBar);
    column->addWidget(m_view, 1);
    column->addWidget(m_typing);
    column->addWidget(m_composer);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_column, 1);

    m_draftTimer.setSingleShot(true);
    m_draftTimer.setInterval(kDraftDelayMs);
    connect(&m_draftTimer, &QTimer::timeout, this, &ChatPane::saveDraft);
    connect(m_composer, &Composer::typingActivity, this, [this] {
        m_draftTimer.start();
        if (m_session && !m_conversation.isEmpty())
            m_session->client()->inbox()->sendTyping(m_conversation);
    });
    connect(m_composer, &Composer::sendRequested, this, &ChatPane::onTextSent);
    connect(m_composer, &Composer::filesPasted, this, &ChatPane::attachFiles);
    connect(m_composer, &Composer::imagePasted, this, &ChatPane::attachImage);
    connect(m_composer, &Composer::attachRequested, this, &ChatPane::chooseFiles);
    connect(m_view, &MessageView::mediaActivated, this, &ChatPane::openMedia);
    connect(m_view, &MessageView::mediaSaveRequested, this, &ChatPane::saveMedia);
    connect(m_view, &MessageView::downloadCancelRequested, this, &ChatPane::cancelDownload);
    connect(this, &ChatPane::mediaSaved, this, [this](const QString &target, bool ok) {
        if (ok)
            return;
        auto *box = new QMessageBox(
            QMessageBox::Warning, tr("Save file"),
            tr("The file could not be saved as %1.").arg(QDir::toNativeSeparators(target)),
            QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("saveFailedMessage"));
        box->button(QMessageBox::Ok)->setObjectName(QStringLiteral("okButton"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    connect(m_opener, &FileOpener::failed, this, &ChatPane::showOpenFailed);
    connect(m_view, &MessageView::infoRequested, this, [this](const QModelIndex &index) {
        if (!m_session || m_conversation.isEmpty())
            return;
        auto *info = new MessageInfoDialog(m_session->client(), m_session->users(), m_conversation,
                                           index.data(MessageListModel::SeqRole).toLongLong(),
                                           index.data(MessageListModel::TextRole).toString(), this);
        info->setAttribute(Qt::WA_DeleteOnClose);
        info->show();
    });
    connect(m_view, &MessageView::cancelRequested, this, [this](const QString &id) {
        if (m_session)
            m_session->client()->media()->cancel(id);
    });
    setAcceptDrops(true);
    connect(m_view, &MessageView::readUpTo, this, &ChatPane::onReadUpTo);
    connect(m_header, &ChatHeader::backClicked, this, &ChatPane::backRequested);
    connect(m_header, &ChatHeader::searchClicked, this, &ChatPane::showFindBar);
    connect(m_header, &ChatHeader::infoClicked, this, &ChatPane::toggleInfo);
    connect(m_header, &ChatHeader::muteToggled, this, [this](bool muted) {
        if (m_session && !m_conversation.isEmpty())
            m_session->conversations()->setMuted(m_conversation, muted);
    });
    m_jumpHighlight.setSingleShot(true);
    m_jumpHighlight.setInterval(kJumpHighlightMs);
    connect(&m_jumpHighlight, &QTimer::timeout, this, [this] {
        if (m_view->selectionModel() && !m_findBar->isVisible())
            m_view->selectionModel()->clearSelection();
    });
    connect(m_findBar, &FindBar::showRequested, this, [this](qint64 seq) {
        if (!m_conversation.isEmpty())
            showMessage(m_conversation, seq);
    });
    connect(m_findBar, &FindBar::closeRequested, this, [this] {
        m_findBar->hide();
        m_composer->focusEditor();
    });
    connectMessageActions();
}

ChatPane::~ChatPane()
{
    saveDraft();
}

void ChatPane::setSession(session::AccountSession *session)
{
    closeConversation();
    if (m_session) {
        disconnect(m_session->conversations(), nullptr, this, nullptr);
        disconnect(m_session->users(), nullptr, this, nullptr);
    }
    m_session = session;
    m_scroll.clear();
    m_banner->setClient(session ? session->client() : nullptr);
    if (!session)
        return;
    ConversationListModel *list = session->conversations();
    // The header follows the list row (name, typing, mute) and the directory (presence).
    connect(list, &QAbstractItemModel::dataChanged, this, &ChatPane::refreshHeader);
    connect(list, &QAbstractItemModel::dataChanged, this, &ChatPane::adoptPendingChat);
    connect(list, &QAbstractItemModel::rowsInserted, this, &ChatPane::adoptPendingChat);
    connect(list, &QAbstractItemModel::modelReset, this, &ChatPane::adoptPendingChat);
    connect(list, &QAbstractItemModel::rowsMoved, this, &ChatPane::refreshHeader);
    connect(list, &QAbstractItemModel::modelReset, this, &ChatPane::refreshHeader);
    connect(list, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (!m_conversation.isEmpty() && m_session &&
            m_session->conversations()->rowOf(m_conversation) < 0) {
            closeConversation();
            emit conversationClosed();
        }
    });
    connect(session->users(), &models::UserDirectory::presenceChanged, this,
            &ChatPane::refreshHeader);
    connect(session->users(), &models::UserDirectory::namesChanged, this, &ChatPane::refreshHeader);
    // Offline, presence is unknown: the header stops claiming anything about it.
    connect(session->client()->connection(), &client::ChatConnection::stateChanged, this,
            &ChatPane::refreshHeader);
}

bool ChatPane::openConversation(const QString &conversation)
{
    if (!m_session)
        return false;
    if (conversation == m_conversation)
        return true;
    ConversationListModel *list = m_session->conversations();
    const int row = list->rowOf(conversation);
    if (row < 0)
        return false;
    closeConversation();
    m_conversation = conversation;
    const protocol::ConversationSummary summary = list->summary(row);
    MessageListModel *model = m_session->messages(summary);
    // A kept model still has the reading position of its first open: the divider goes by now's.
    model->setReadSeq(summary.readSeq);
    m_view->setGroupChat(summary.kind == protocol::ConversationKind::Group);
    m_view->setMessageModel(model);
    // While the user reads the newest messages, a history scrolled far back is unloaded down
    // to a window: QListView lays out every row on each insert (~1.4 µs a row).
    connect(model, &QAbstractItemModel::rowsInserted, this, [this, model] {
        if (m_trimPending || m_view->messageModel() != model || !m_view->isAtBottom() ||
            model->rowCount() <= kTrimAboveRows)
            return;
        m_trimPending = true;
        trimWhenIdle(model, 0);
    });
    // A jump (showMessage) goes on once the first load or each page it asked for is in.
    connect(model, &MessageListModel::loaded, this, &ChatPane::continueJump);
    connect(model, &MessageListModel::fetchFinished, this, &ChatPane::continueJump);
    // Unread messages win over the kept position: the chat opens at the first of them.
    if (const auto saved = m_scroll.constFind(conversation);
        saved != m_scroll.constEnd() && summary.unread == 0)
        m_view->restoreScrollState(*saved);
    m_composer->setDraft(QString());
    m_savedDraft.clear();
    QPointer<ChatPane> self(this);
    models::whenReady(this, m_session->draft(conversation),
                      [self, conversation](Result<QString> draft) {
                          // The user may have switched on (or started typing) before the cache
                          // answered.
                          if (!self || self->m_conversation != conversation || !draft.ok() ||
                              !self->m_composer->draft().isEmpty())
                              return;
                          self->m_composer->setDraft(*draft);
                          self->m_savedDraft = *draft;
                      });
    hideInfo();
    m_findBar->hide();
    m_findBar->setChat(m_session, conversation);
    refreshHeader();
    emit conversationOpened(conversation);
    return true;
}

QString ChatPane::directChatWith(const QString &userId) const
{
    ConversationListModel *list = m_session->conversations();
    for (int row = 0; row < list->rowCount(); ++row) {
        const protocol::ConversationSummary summary = list->summary(row);
        if (summary.kind != protocol::ConversationKind::Direct)
            continue;
        const QString me = m_session->client()->connection()->userId();
        for (const protocol::MemberInfo &member : summary.members) {
            // A chat with yourself ("saved messages") has only you as member.
            if (member.userId == userId && (userId == me || summary.members.size() > 1))
                return summary.conversation;
        }
    }
    return QString();
}

void ChatPane::openDirectChat(const QString &userId, const QString &displayName)
{
    if (!m_session)
        return;
    if (const QString existing = directChatWith(userId); !existing.isEmpty()) {
        openConversation(existing);
        return;
    }
    closeConversation();
    m_pendingPeer = userId;
    m_view->setMessageModel(nullptr);
    m_header->setTitle(displayName);
    m_header->setAvatar(models::Avatar::initials(displayName), models::Avatar::hue(userId), -1);
    m_header->setSubtitle(tr("New chat — say hello"));
    m_composer->setDraft(QString());
    m_composer->focusEditor();
}

void ChatPane::adoptPendingChat()
{
    if (m_pendingPeer.isEmpty() || !m_session)
        return;
    const QString conversation = directChatWith(m_pendingPeer);
    if (conversation.isEmpty())
        return;
    // Keep what the user is typing: the composer is not part of the pending chat's state.
    const QString typed = m_composer->draft();
    m_pendingPeer.clear();
    openConversation(conversation);
    if (!typed.isEmpty())
        m_composer->setDraft(typed);
}

void ChatPane::trimWhenIdle(models::MessageListModel *model, int delayMs)
{
    QPointer<models::MessageListModel> guard(model);
    QTimer::singleShot(delayMs, this, [this, guard] {
        if (!guard || m_view->messageModel() != guard || !m_view->isAtBottom()) {
            m_trimPending = false;
            return;
        }
        // A page being fetched lands at the top: trimming now would leave a hole.
        if (guard->isFetching()) {
            trimWhenIdle(guard, 300);
            return;
        }
        m_trimPending = false;
        guard->trimOldest(kTrimToRows);
    });
}

bool ChatPane::showMessage(const QString &conversation, qint64 seq)
{
    if (!openConversation(conversation))
        return false;
    if (m_jumpSeq > 0 && m_jumpPageSize > 0 && m_view->messageModel())
        m_view->messageModel()->setPageSize(m_jumpPageSize); // a jump replaced by this one
    m_jumpPageSize = 0;
    m_jumpOldestAsked = -1;
    m_jumpSeq = seq;
    continueJump();
    return true;
}

void ChatPane::continueJump()
{
    MessageListModel *model = m_view->messageModel();
    if (m_jumpSeq <= 0 || !model || model->isFetching())
        return; // the load under way calls back
    const qint64 seq = m_jumpSeq;
    const int row = model->rowOfSeq(seq);
    // A page we asked for that reached no further back (a server error) ends the jump: no
    // retry loop. Judged by the oldest seq fetched, not rows: a page of only edits, deletions
    // and reactions adds no row but is progress.
    const qint64 oldest = model->oldestFetchedSeq();
    const bool more = model->canFetchMore(QModelIndex()) && model->rowCount() < kMaxJumpRows &&
                      oldest != m_jumpOldestAsked;
    if (row < 0 && more) {
        // Only a seq older than what was fetched can come by paging back; bigger pages for it.
        if (oldest <= 0 || oldest > seq) {
            if (m_jumpPageSize == 0)
                m_jumpPageSize = model->pageSize();
            model->setPageSize(std::max(kJumpPageSize, m_jumpPageSize));
            m_jumpOldestAsked = oldest;
            model->fetchMore(QModelIndex());
            return;
        }
    }
    m_jumpSeq = 0;
    m_jumpOldestAsked = -1;
    if (m_jumpPageSize > 0)
        model->setPageSize(m_jumpPageSize);
    m_jumpPageSize = 0;
    if (row >= 0) {
        m_view->showRow(row);
        m_jumpHighlight.start();
    }
    emit messageShown(m_conversation, seq, row >= 0);
}

void ChatPane::closeConversation()
{
    if (m_jumpPageSize > 0 && m_view->messageModel())
        m_view->messageModel()->setPageSize(m_jumpPageSize);
    m_jumpPageSize = 0;
    m_jumpSeq = 0;
    m_pendingPeer.clear();
    if (m_conversation.isEmpty())
        return;
    saveDraft();
    m_scroll.insert(m_conversation, m_view->saveScrollState());
    if (m_view->messageModel())
        disconnect(m_view->messageModel(), nullptr, this, nullptr);
    m_view->setMessageModel(nullptr);
    m_conversation.clear();
    m_findBar->setChat(nullptr, QString());
    m_typing->hide();
    if (m_info) {
        hideInfo();
        m_info->deleteLater();
        m_info = nullptr;
    }
}

void ChatPane::saveDraft()
{
    m_draftTimer.stop();
    if (!m_session || m_conversation.isEmpty())
        return;
    const QString draft = m_composer->draft();
    if (draft == m_savedDraft)
        return;
    m_savedDraft = draft;
    m_session->setDraft(m_conversation, draft);
}

void ChatPane::setBackVisible(bool visible)
{
    m_header->setBackVisible(visible);
}

void ChatPane::showFindBar()
{
    if (m_conversation.isEmpty())
        return;
    m_findBar->open();
}

bool ChatPane::closePanels()
{
    if (m_findBar->isVisible()) {
        m_findBar->hide();
        m_composer->focusEditor();
        return true;
    }
    if (m_info && m_info->isVisible()) {
        hideInfo();
        m_composer->focusEditor();
        return true;
    }
    return false;
}

void ChatPane::focusComposer()
{
    m_composer->focusEditor();
}

QString ChatPane::typingText() const
{
    return m_typing->isVisible() ? m_typing->text() : QString();
}

void ChatPane::refreshHeader()
{
    const int row = m_session && !m_conversation.isEmpty()
                        ? m_session->conversations()->rowOf(m_conversation)
                        : -1;
    if (row < 0) {
        m_composer->mentions()->setCandidates({}); // a pending direct chat, or none
        return;
    }
    ConversationListModel *list = m_session->conversations();
    const QModelIndex index = list->index(row);
    const protocol::ConversationSummary summary = list->summary(row);
    const models::UserDirectory *users = m_session->users();
    const QString me = m_session->client()->connection()->userId();
    const bool group = summary.kind == protocol::ConversationKind::Group;
    QString other;
    for (const protocol::MemberInfo &member : summary.members) {
        if (member.userId != me)
            other = member.userId;
    }
    const bool otherOnline = !group && !other.isEmpty() && users->isOnline(other);
    m_header->setTitle(summary.name);
    m_header->setAvatar(index.data(ConversationListModel::AvatarInitialsRole).toString(),
                        index.data(ConversationListModel::AvatarHueRole).toInt(),
                        group || other.isEmpty() ? -1 : int(otherOnline));
    m_header->setMuted(index.data(ConversationListModel::IsMutedRole).toBool());
    m_header->setInfoVisible(group);
    updateMentionCandidates(summary);

    const QStringList typing = index.data(ConversationListModel::TypingUsersRole).toStringList();
    QString typingLine;
    if (typing.size() == 1)
        typingLine = group ? tr("%1 is typing…").arg(typing.first()) : tr("typing…");
    else if (typing.size() > 1)
        typingLine = tr("%1 are typing…").arg(QLocale().createSeparatedList(typing));
    m_typing->setText(typingLine);
    m_typing->setVisible(!typingLine.isEmpty());

    if (!typingLine.isEmpty()) {
        m_header->setSubtitle(group ? typingLine : tr("typing…"), true);
    } else if (group) {
        const QString members = tr("%n member(s)", nullptr, int(summary.members.size()));
        int online = 0;
        for (const protocol::MemberInfo &member : summary.members)
            online += member.userId == me || users->isOnline(member.userId) ? 1 : 0;
        m_header->setSubtitle(users->presenceKnown() ? members + QStringLiteral(", ") +
                                                           tr("%n online", nullptr, online)
                                                     : members);
    } else if (other.isEmpty()) {
        m_header->setSubtitle(tr("Saved messages"));
    } else if (!users->presenceKnown()) {
        m_header->setSubtitle(QString()); // unknown while we are offline (the banner says so)
    } else if (otherOnline) {
        m_header->setSubtitle(tr("online"));
    } else {
        m_header->setSubtitle(lastSeenText(users->lastSeen(other)));
    }
}

void ChatPane::updateMentionCandidates(const protocol::ConversationSummary &summary)
{
    // Groups only: in a direct chat there is nobody else to point at.
    QList<MentionCompleter::Candidate> candidates;
    const QString me = m_session->client()->connection()->userId();
    if (summary.kind == protocol::ConversationKind::Group) {
        for (const protocol::MemberInfo &member : summary.members) {
            if (member.userId != me)
                candidates.append({member.userId, m_session->users()->displayName(member.userId)});
        }
    }
    m_composer->mentions()->setCandidates(candidates);
}

void ChatPane::toggleInfo()
{
    if (!m_session || m_conversation.isEmpty())
        return;
    if (m_info && m_info->isVisible()) {
        hideInfo();
        return;
    }
    const int row = m_session->conversations()->rowOf(m_conversation);
    if (row < 0)
        return;
    const protocol::ConversationSummary summary = m_session->conversations()->summary(row);
    if (summary.kind != protocol::ConversationKind::Group)
        return;
    if (!m_info) {
        m_info = new GroupInfoPanel(m_session->client(), m_session->users(), this);
        layout()->addWidget(m_info);
        connect(m_info, &GroupInfoPanel::closeRequested, this, [this] {
            hideInfo();
            m_composer->focusEditor();
        });
        connect(m_info, &GroupInfoPanel::muteToggled, this, [this](bool muted) {
            if (m_session && !m_conversation.isEmpty())
                m_session->conversations()->setMuted(m_conversation, muted);
            m_header->setMuted(muted);
        });
        connect(m_info, &GroupInfoPanel::left, this, [this](const QString &conversation) {
            if (conversation != m_conversation)
                return;
            closeConversation();
            emit conversationClosed();
        });
        m_info->setConversation(summary);
    }
    m_info->setMuted(
        m_session->conversations()->index(row).data(ConversationListModel::IsMutedRole).toBool());
    // Decided before showing: shown beside a chat that leaves no room, the panel would make the
    // window grow. In a pane too narrow for both it takes the chat's place until closed.
    m_column->setVisible(width() >=
                         m_column->minimumSizeHint().width() + m_info->minimumSizeHint().width());
    m_info->show();
    m_info->setFocus(Qt::OtherFocusReason);
}

void ChatPane::hideInfo()
{
    if (m_info)
        m_info->hide();
    m_column->show();
}

void ChatPane::onReadUpTo(qint64 seq)
{
    MessageListModel *model = m_view->messageModel();
    if (!m_session || !model || model->conversationId() != m_conversation)
        return;
    m_session->conversations()->markRead(m_conversation, seq, model->unreadAfter(seq));
}

void ChatPane::onTextSent(const QString &text, qint64 replyTo)
{
    // The composer's text carries mention markup; the server wants the ids beside it.
    cache::MessageOptions options;
    options.mentions = models::MessageText::mentionedIds(text);
    if (m_session && !m_pendingPeer.isEmpty()) {
        m_session->client()->outbox()->sendText(m_pendingPeer, text, options);
        return;
    }
    MessageListModel *model = m_view->messageModel();
    if (!m_session || !model)
        return;
    if (replyTo > 0)
        options.replyTo = replyTo;
    m_session->client()->outbox()->sendText(model->sendAddress(), text, options);
    m_savedDraft = QStringLiteral("\x01"); // force the (now empty) draft to be written
    saveDraft();
    m_view->scrollToLatest();
}

} // namespace tern::app::ui
