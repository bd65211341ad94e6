#include "app/ui/GroupInfoPanel.h"

#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/client/Inbox.h"
#include "app/models/MemberListModel.h"
#include "app/models/UserDirectory.h"
#include "app/ui/Icons.h"
#include "app/ui/RequestErrorText.h"
#include "app/ui/Theme.h"
#include "app/ui/UserSearchWidget.h"
#include "shared/model/Limits.h"
#include "shared/model/Validation.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

namespace tern::app::ui {

using models::MemberListModel;

namespace {

constexpr auto kOwner = protocol::Role::Owner;
constexpr auto kAdmin = protocol::Role::Admin;
constexpr auto kMember = protocol::Role::Member;

//! The role under a member's name: owners and admins only (a plain member's role is no news).
QString roleText(const QString &wireRole)
{
    const std::optional<protocol::Role> role = protocol::fromWireName<protocol::Role>(wireRole);
    return role && *role != kMember ? MemberListModel::roleText(*role) : QString();
}

//! One member row: avatar with a presence dot, name, role and "online".
class MemberDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        QStringList parts{index.data(MemberListModel::DisplayNameRole).toString()};
        if (index.data(MemberListModel::IsMeRole).toBool())
            parts.first() = GroupInfoPanel::tr("%1 (you)").arg(parts.first());
        const QString role = roleText(index.data(MemberListModel::RoleRole).toString());
        if (!role.isEmpty())
            parts << role;
        if (index.data(MemberListModel::IsOnlineRole).toBool())
            parts << GroupInfoPanel::tr("online");
        // Name on the first line (elided when long), role and presence on the second: one line
        // of all three did not fit a narrow panel ("Alice (you) · owner · on…").
        const QString name = parts.takeFirst();
        option->text = parts.isEmpty()
                           ? name
                           : name + QChar::LineSeparator + parts.join(QStringLiteral(" · "));
        option->textElideMode = Qt::ElideRight;
        option->features |= QStyleOptionViewItem::HasDecoration;
        option->icon =
            QIcon(avatar(index, option->palette, option->fontMetrics.height() * 2, option->font));
        option->decorationSize =
            QSize(option->fontMetrics.height() * 2, option->fontMetrics.height() * 2);
    }

private:
    static QPixmap avatar(const QModelIndex &index, const QPalette &palette, int size,
                          const QFont &font)
    {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(
            Theme::avatarColor(index.data(MemberListModel::AvatarHueRole).toInt(), palette));
        painter.drawEllipse(QRectF(0, 0, size, size));
        QFont small = font;
        small.setBold(true);
        painter.setFont(small);
        painter.setPen(Qt::white);
        painter.drawText(QRectF(0, 0, size, size), Qt::AlignCenter,
                         index.data(MemberListModel::AvatarInitialsRole).toString());
        if (index.data(MemberListModel::IsOnlineRole).toBool()) {
            const qreal dot = size * 0.32;
            painter.setPen(QPen(palette.color(QPalette::Base), size * 0.06));
            painter.setBrush(Theme::onlineColor());
            painter.drawEllipse(QRectF(size - dot, size - dot, dot, dot).adjusted(1, 1, -1, -1));
        }
        return pixmap;
    }
};

} // namespace

GroupInfoPanel::GroupInfoPanel(client::ChatClient *client, models::UserDirectory *directory,
                               QWidget *parent)
    : QWidget(parent), m_client(client), m_directory(directory), m_title(new QLabel(this)),
      m_close(new QToolButton(this)), m_name(new QLineEdit(this)), m_counts(new QLabel(this)),
      m_mute(new QCheckBox(this)), m_membersLabel(new QLabel(this)),
      m_memberView(new QListView(this)), m_add(new QPushButton(this)),
      m_remove(new QPushButton(this)), m_admin(new QPushButton(this)),
      m_search(new UserSearchWidget(client, this)), m_leaveConfirm(new QWidget(this)),
      m_leaveQuestion(new QLabel(m_leaveConfirm)), m_leaveYes(new QPushButton(m_leaveConfirm)),
      m_leaveNo(new QPushButton(m_leaveConfirm)), m_leave(new QPushButton(this)),
      m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("groupInfoPanel"));
    m_title->setTextFormat(Qt::PlainText);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_close->setObjectName(QStringLiteral("closePanelButton"));
    m_close->setAutoRaise(true);
    Icons::bind(m_close, Icons::Icon::Close);
    m_close->setIconSize(Icons::buttonIconSize(fontMetrics()));
    m_name->setObjectName(QStringLiteral("groupNameEdit"));
    m_name->setMaxLength(limits::kMaxGroupNameChars);
    m_counts->setTextFormat(Qt::PlainText);
    m_counts->setWordWrap(true);
    QPalette secondary = m_counts->palette();
    secondary.setColor(QPalette::WindowText, Theme::secondaryText(secondary));
    m_counts->setPalette(secondary);
    m_mute->setObjectName(QStringLiteral("muteCheck"));
    m_membersLabel->setBuddy(m_memberView);
    m_memberView->setObjectName(QStringLiteral("memberList"));
    m_memberView->setItemDelegate(new MemberDelegate(m_memberView));
    m_memberView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_memberView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_memberView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_memberView->setUniformItemSizes(true);
    m_add->setObjectName(QStringLiteral("addMembersButton"));
    m_remove->setObjectName(QStringLiteral("removeMemberButton"));
    m_admin->setObjectName(QStringLiteral("adminButton"));
    m_search->hide();
    m_leave->setObjectName(QStringLiteral("leaveButton"));
    m_leaveYes->setObjectName(QStringLiteral("confirmLeaveButton"));
    m_leaveNo->setObjectName(QStringLiteral("cancelLeaveButton"));
    m_leaveQuestion->setTextFormat(Qt::PlainText);
    m_leaveQuestion->setWordWrap(true);
    m_leaveConfirm->hide();
    m_error->setObjectName(QStringLiteral("panelErrorLabel"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, Theme::errorColor(errorPalette));
    m_error->setPalette(errorPalette);
    m_error->hide();

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_close);
    // "Add members" above "Remove" and "Make admin": three in a row did not fit the panel.
    auto *memberButtons = new QGridLayout;
    memberButtons->addWidget(m_add, 0, 0, 1, 2);
    memberButtons->addWidget(m_remove, 1, 0);
    memberButtons->addWidget(m_admin, 1, 1);
    auto *confirmLayout = new QVBoxLayout(m_leaveConfirm);
    confirmLayout->setContentsMargins(0, 0, 0, 0);
    confirmLayout->addWidget(m_leaveQuestion);
    auto *confirmButtons = new QHBoxLayout;
    confirmButtons->addStretch(1);
    confirmButtons->addWidget(m_leaveNo);
    confirmButtons->addWidget(m_leaveYes);
    confirmLayout->addLayout(confirmButtons);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_name);
    layout->addWidget(m_counts);
    layout->addWidget(m_mute);
    layout->addWidget(m_membersLabel);
    layout->addWidget(m_memberView, 1);
    layout->addLayout(memberButtons);
    layout->addWidget(m_search, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_leave);
    layout->addWidget(m_leaveConfirm);

    connect(m_close, &QToolButton::clicked, this, &GroupInfoPanel::closeRequested);
    connect(m_name, &QLineEdit::returnPressed, this, [this] { rename(m_name->text()); });
    connect(m_mute, &QCheckBox::toggled, this, &GroupInfoPanel::muteToggled);
    connect(m_add, &QPushButton::clicked, this, &GroupInfoPanel::showAddMembers);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const QString user = selectedUserId();
        if (!user.isEmpty())
            removeMember(user);
    });
    connect(m_admin, &QPushButton::clicked, this, [this] {
        const QString user = selectedUserId();
        if (!user.isEmpty() && m_members)
            setAdmin(user, m_members->roleOf(user) != kAdmin);
    });
    connect(m_search, &UserSearchWidget::userActivated, this,
            [this](const QString &userId) { addMembers({userId}); });
    connect(m_memberView, &QWidget::customContextMenuRequested, this,
            &GroupInfoPanel::showMemberMenu);
    connect(m_leave, &QPushButton::clicked, this, &GroupInfoPanel::askLeave);
    connect(m_leaveYes, &QPushButton::clicked, this, &GroupInfoPanel::confirmLeave);
    connect(m_leaveNo, &QPushButton::clicked, this, [this] {
        m_leaveConfirm->hide();
        m_leave->show();
        m_leave->setFocus();
    });
    if (m_client)
        connect(m_client->inbox(), &client::Inbox::conversationsUpdated, this,
                &GroupInfoPanel::onConversationsUpdated);

    retranslate();
    refresh();
}

GroupInfoPanel::~GroupInfoPanel() = default;

QSize GroupInfoPanel::sizeHint() const
{
    // A comfortable width when there is room; the layout's minimum is what it really needs.
    const QSize content = QWidget::sizeHint();
    return {qMax(minimumSizeHint().width(), fontMetrics().averageCharWidth() * 32),
            content.height()};
}

void GroupInfoPanel::retranslate()
{
    m_title->setText(tr("Group info"));
    m_close->setToolTip(tr("Close (Esc)"));
    m_close->setAccessibleName(tr("Close group info"));
    m_name->setAccessibleName(tr("Group name"));
    m_mute->setText(tr("&Mute notifications"));
    m_mute->setAccessibleName(tr("Mute notifications for this group"));
    m_membersLabel->setText(tr("Mem&bers"));
    m_memberView->setAccessibleName(tr("Members"));
    m_memberView->setAccessibleDescription(
        tr("Open the context menu on a member for more actions"));
    m_add->setText(tr("&Add members"));
    m_add->setAccessibleName(tr("Add members"));
    m_remove->setText(tr("&Remove"));
    m_remove->setAccessibleName(tr("Remove the selected member from the group"));
    m_leave->setText(tr("&Leave group"));
    m_leave->setAccessibleName(tr("Leave group"));
    m_leaveQuestion->setText(tr("Leave this group? You will no longer receive its messages."));
    m_leaveYes->setText(tr("Leave"));
    m_leaveYes->setAccessibleName(tr("Confirm leaving the group"));
    m_leaveNo->setText(tr("Cancel"));
    m_leaveNo->setAccessibleName(tr("Stay in the group"));
    refresh();
}

void GroupInfoPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void GroupInfoPanel::setConversation(const protocol::ConversationSummary &conversation)
{
    m_conversation = conversation;
    m_pendingName.clear();
    MemberListModel *old = m_members;
    m_members = new MemberListModel(m_client, m_directory, conversation, this);
    m_memberView->setModel(m_members);
    delete old;
    const auto changed = [this] { refresh(); };
    connect(m_members, &MemberListModel::countsChanged, this, changed);
    connect(m_members, &QAbstractItemModel::rowsInserted, this, changed);
    connect(m_members, &QAbstractItemModel::rowsRemoved, this, changed);
    connect(m_members, &QAbstractItemModel::rowsMoved, this, changed);
    connect(m_members, &QAbstractItemModel::dataChanged, this, changed);
    connect(m_members, &QAbstractItemModel::modelReset, this, changed);
    connect(m_memberView->selectionModel(), &QItemSelectionModel::currentChanged, this, changed);
    m_search->hide();
    m_search->clear();
    m_leaveConfirm->hide();
    m_leave->show();
    m_error->hide();
    m_name->setText(conversation.name);
    if (m_directory) {
        // Names of members we have not met yet (the directory asks only for unknown ones).
        QStringList ids;
        for (const protocol::MemberInfo &member : conversation.members)
            ids.append(member.userId);
        m_directory->resolve(ids);
    }
    refresh();
}

bool GroupInfoPanel::canManage() const
{
    if (!m_members)
        return false;
    const protocol::Role role = m_members->myRole().value_or(kMember); // not one: no rights
    return role == kOwner || role == kAdmin;
}

bool GroupInfoPanel::isOwner() const
{
    return m_members && m_members->myRole() == kOwner;
}

QString GroupInfoPanel::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

bool GroupInfoPanel::isMuted() const
{
    return m_mute->isChecked();
}

void GroupInfoPanel::setMuted(bool muted)
{
    const QSignalBlocker blocker(m_mute); // a state from outside, not a user's toggle
    m_mute->setChecked(muted);
}

QString GroupInfoPanel::selectedUserId() const
{
    const QModelIndex current = m_memberView->currentIndex();
    return current.isValid() ? current.data(MemberListModel::UserIdRole).toString() : QString();
}

void GroupInfoPanel::refresh()
{
    const bool manage = canManage();
    m_name->setReadOnly(!manage);
    m_name->setToolTip(manage ? tr("Press Enter to rename the group") : QString());
    if (!m_name->hasFocus() && m_pendingName.isEmpty())
        m_name->setText(m_conversation.name);
    refreshCounts();

    const QString selected = selectedUserId();
    const QString myId = m_client ? m_client->connection()->userId() : QString();
    // Nobody selected (or gone meanwhile): as a plain member, and `other` is false anyway.
    const protocol::Role selectedRole =
        m_members ? m_members->roleOf(selected).value_or(kMember) : kMember;
    const bool other = !selected.isEmpty() && selected != myId;
    // Admins may remove plain members; the owner anyone but themselves (the server decides).
    const bool canRemove =
        other && selectedRole != kOwner && (isOwner() || (manage && selectedRole == kMember));
    m_add->setVisible(manage);
    m_remove->setVisible(manage);
    m_remove->setEnabled(canRemove);
    m_admin->setVisible(isOwner());
    m_admin->setEnabled(isOwner() && other && selectedRole != kOwner);
    m_admin->setText(selectedRole == kAdmin ? tr("Remove &admin") : tr("Make &admin"));
    m_admin->setAccessibleName(selectedRole == kAdmin
                                   ? tr("Make the selected member a plain member")
                                   : tr("Make the selected member an admin"));
    if (!manage)
        m_search->hide();
}

void GroupInfoPanel::refreshCounts()
{
    if (!m_members) {
        m_counts->clear();
        return;
    }
    const int count = m_members->rowCount();
    const int online = m_members->onlineCount();
    //: Group subtitle: "12 members, 3 online".
    m_counts->setText(tr("%n member(s)", "", count) + QStringLiteral(", ") +
                      tr("%n online", "", online));
}

void GroupInfoPanel::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void GroupInfoPanel::showAddMembers()
{
    if (!canManage() || !m_members)
        return;
    QSet<QString> members;
    for (int row = 0; row < m_members->rowCount(); ++row)
        members.insert(m_members->index(row).data(MemberListModel::UserIdRole).toString());
    m_search->setExcludedUserIds(members);
    m_search->show();
    m_search->setFocus();
}

void GroupInfoPanel::showMemberMenu(const QPoint &pos)
{
    const QModelIndex index = m_memberView->indexAt(pos);
    if (!index.isValid())
        return;
    m_memberView->setCurrentIndex(index);
    refresh();
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("memberMenu"));
    if (m_remove->isVisible() && m_remove->isEnabled())
        menu.addAction(tr("Remove from group"), this, [this] { m_remove->click(); })
            ->setObjectName(QStringLiteral("removeMemberAction"));
    if (m_admin->isVisible() && m_admin->isEnabled())
        menu.addAction(m_admin->text().remove(QLatin1Char('&')), this, [this] { m_admin->click(); })
            ->setObjectName(QStringLiteral("adminAction"));
    if (menu.isEmpty())
        return;
    // exec() is a nested loop, but a context menu is the one place Qt expects that.
    menu.exec(m_memberView->viewport()->mapToGlobal(pos));
}

void GroupInfoPanel::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        if (m_name->hasFocus() && m_name->text() != m_conversation.name) {
            m_name->setText(m_conversation.name); // first Esc undoes an unfinished rename
        } else if (m_leaveConfirm->isVisible()) {
            m_leaveNo->click();
        } else if (m_search->isVisible()) {
            m_search->hide();
            m_add->setFocus();
        } else {
            emit closeRequested();
        }
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Delete && m_memberView->hasFocus() && m_remove->isEnabled() &&
        m_remove->isVisible()) {
        m_remove->click();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void GroupInfoPanel::onConversationsUpdated(const QList<protocol::ConversationSummary> &list)
{
    for (const protocol::ConversationSummary &summary : list) {
        if (summary.conversation == m_conversation.conversation) {
            m_conversation.name = summary.name;
            if (!m_name->hasFocus() && m_pendingName.isEmpty())
                m_name->setText(summary.name);
            return;
        }
    }
}

// ---- requests ------------------------------------------------------------------------------

void GroupInfoPanel::rename(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (!m_client || !canManage() || trimmed == m_conversation.name)
        return;
    if (!validation::isValidDisplayText(trimmed, limits::kMaxGroupNameChars)) {
        showError(tr("Give the group a name."));
        return;
    }
    m_pendingName = trimmed;
    m_error->hide();
    QCoro::Task<Status> request =
        m_client->groups()->renameGroup(m_conversation.conversation, trimmed);
    QCoro::Task<> running =
        runRequest(std::move(request), m_conversation.conversation, Action::Rename);
    Q_UNUSED(running);
}

void GroupInfoPanel::addMembers(const QStringList &userIds)
{
    if (!m_client || userIds.isEmpty())
        return;
    m_error->hide();
    QCoro::Task<Status> request =
        m_client->groups()->addMembers(m_conversation.conversation, userIds);
    QCoro::Task<> running =
        runRequest(std::move(request), m_conversation.conversation, Action::Add);
    Q_UNUSED(running);
}

void GroupInfoPanel::removeMember(const QString &userId)
{
    if (!m_client || userId.isEmpty())
        return;
    m_error->hide();
    QCoro::Task<Status> request =
        m_client->groups()->removeMember(m_conversation.conversation, userId);
    QCoro::Task<> running =
        runRequest(std::move(request), m_conversation.conversation, Action::Remove);
    Q_UNUSED(running);
}

void GroupInfoPanel::setAdmin(const QString &userId, bool admin)
{
    if (!m_client || userId.isEmpty())
        return;
    m_error->hide();
    QCoro::Task<Status> request =
        m_client->groups()->setRole(m_conversation.conversation, userId, admin ? kAdmin : kMember);
    QCoro::Task<> running =
        runRequest(std::move(request), m_conversation.conversation, Action::SetRole);
    Q_UNUSED(running);
}

void GroupInfoPanel::askLeave()
{
    m_leave->hide();
    m_leaveConfirm->show();
    m_leaveNo->setFocus(); // the safe choice is the one under Enter
}

void GroupInfoPanel::confirmLeave()
{
    if (!m_client)
        return;
    m_leaveYes->setEnabled(false);
    QCoro::Task<Status> request =
        m_client->groups()->leaveConversation(m_conversation.conversation);
    QCoro::Task<> running =
        runRequest(std::move(request), m_conversation.conversation, Action::Leave);
    Q_UNUSED(running);
}

QCoro::Task<> GroupInfoPanel::runRequest(QCoro::Task<Status> request, QString conversation,
                                         Action action)
{
    QPointer<GroupInfoPanel> self(this);
    const Status status = co_await request;
    if (!self)
        co_return;
    onRequestDone(action, conversation, status);
}

void GroupInfoPanel::onRequestDone(Action action, const QString &conversation, const Status &status)
{
    if (action == Action::Leave)
        m_leaveYes->setEnabled(true);
    if (conversation != m_conversation.conversation)
        return; // the panel shows another group now
    if (action == Action::Rename) {
        if (status)
            m_conversation.name = m_pendingName;
        m_pendingName.clear();
        m_name->setText(m_conversation.name); // the new name, or back to the old one
    }
    if (!status) {
        QString message;
        switch (action) {
        case Action::Rename:
            message = tr("Could not rename the group: %1");
            break;
        case Action::Add:
            message = tr("Could not add the member: %1");
            break;
        case Action::Remove:
            message = tr("Could not remove the member: %1");
            break;
        case Action::SetRole:
            message = tr("Could not change the role: %1");
            break;
        case Action::Leave:
            message = tr("Could not leave the group: %1");
            break;
        }
        showError(message.arg(RequestErrorText::describe(status.error())));
        emit requestFinished(false);
        return;
    }
    switch (action) {
    case Action::Rename:
        emit renamed(conversation, m_conversation.name);
        break;
    case Action::Add:
        m_search->clear();
        m_search->hide();
        if (m_members)
            m_members->reload();
        break;
    case Action::Remove:
    case Action::SetRole:
        if (m_members)
            m_members->reload();
        break;
    case Action::Leave:
        m_leaveConfirm->hide();
        m_leave->show();
        emit left(conversation);
        break;
    }
    refresh();
    emit requestFinished(true);
}

} // namespace tern::app::ui
