#include "app/ui/NewGroupDialog.h"

#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/ui/RequestErrorText.h"
#include "app/ui/Theme.h"
#include "app/ui/UserSearchWidget.h"
#include "shared/model/Limits.h"
#include "shared/model/Validation.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace tern::app::ui {

namespace {
constexpr int kUserIdRole = Qt::UserRole + 1;
}

NewGroupDialog::NewGroupDialog(client::ChatClient *client, QWidget *parent)
    : QDialog(parent), m_client(client), m_nameLabel(new QLabel(this)), m_name(new QLineEdit(this)),
      m_searchLabel(new QLabel(this)), m_search(new UserSearchWidget(client, this)),
      m_membersLabel(new QLabel(this)), m_members(new QListWidget(this)), m_error(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this)),
      m_create(m_buttons->addButton(QString(), QDialogButtonBox::AcceptRole))
{
    setObjectName(QStringLiteral("newGroupDialog"));
    m_name->setObjectName(QStringLiteral("groupNameEdit"));
    m_name->setMaxLength(limits::kMaxGroupNameChars);
    m_nameLabel->setBuddy(m_name);
    m_searchLabel->setBuddy(m_search->searchField());
    m_members->setObjectName(QStringLiteral("pickedMembers"));
    m_members->installEventFilter(this);
    m_membersLabel->setBuddy(m_members);
    m_error->setObjectName(QStringLiteral("groupErrorLabel"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, Theme::errorColor(errorPalette));
    m_error->setPalette(errorPalette);
    m_error->hide();
    m_create->setObjectName(QStringLiteral("createGroupButton"));
    // Enter in the search field picks a member; it must not create the group half-way.
    m_create->setAutoDefault(false);
    m_buttons->button(QDialogButtonBox::Cancel)->setAutoDefault(false);
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    auto *form = new QFormLayout;
    form->addRow(m_nameLabel, m_name);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_searchLabel);
    layout->addWidget(m_search, 2);
    layout->addWidget(m_membersLabel);
    layout->addWidget(m_members, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(m_name, &QLineEdit::textChanged, this, &NewGroupDialog::updateButtons);
    // Enter in the name moves on to finding people.
    connect(m_name, &QLineEdit::returnPressed, this, [this] { m_search->setFocus(); });
    connect(m_search, &UserSearchWidget::userActivated, this, &NewGroupDialog::pickFromSearch);
    connect(m_members, &QListWidget::itemChanged, this, &NewGroupDialog::updateButtons);
    connect(m_create, &QPushButton::clicked, this, &NewGroupDialog::create);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    setTabOrder(m_name, m_search->searchField());
    setTabOrder(m_search->searchField(), m_members);

    const int line = fontMetrics().height();
    resize(line * 26, line * 30);
    retranslate();
    updateButtons();
    m_name->setFocus();
}

void NewGroupDialog::retranslate()
{
    setWindowTitle(tr("New group"));
    m_nameLabel->setText(tr("Group &name"));
    m_name->setAccessibleName(tr("Group name"));
    m_name->setPlaceholderText(tr("e.g. Weekend trip"));
    m_searchLabel->setText(tr("&Add people"));
    m_membersLabel->setText(tr("&Members"));
    m_members->setAccessibleName(tr("Members to add"));
    m_members->setAccessibleDescription(
        tr("Checked people are added to the group; press Delete to remove one from the list"));
    m_create->setText(tr("&Create group"));
    m_create->setAccessibleName(tr("Create group"));
}

void NewGroupDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

QString NewGroupDialog::groupName() const
{
    return m_name->text().trimmed();
}

void NewGroupDialog::setGroupName(const QString &name)
{
    m_name->setText(name);
}

void NewGroupDialog::addMember(const protocol::UserInfo &user)
{
    for (int i = 0; i < m_members->count(); ++i) {
        QListWidgetItem *item = m_members->item(i);
        if (item->data(kUserIdRole).toString() == user.userId) {
            item->setCheckState(Qt::Checked);
            return;
        }
    }
    auto *item = new QListWidgetItem(UserSearchWidget::describe(user));
    item->setData(kUserIdRole, user.userId);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
    m_members->addItem(item);
    excludePicked();
    updateButtons();
}

QStringList NewGroupDialog::memberIds() const
{
    QStringList ids;
    for (int i = 0; i < m_members->count(); ++i) {
        const QListWidgetItem *item = m_members->item(i);
        if (item->checkState() == Qt::Checked)
            ids.append(item->data(kUserIdRole).toString());
    }
    return ids;
}

QString NewGroupDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

bool NewGroupDialog::canCreate() const
{
    return !m_busy && validation::isValidDisplayText(groupName(), limits::kMaxGroupNameChars) &&
           !memberIds().isEmpty();
}

void NewGroupDialog::updateButtons()
{
    m_create->setEnabled(canCreate());
    const int count = int(memberIds().size());
    m_membersLabel->setText(tr("&Members (%n)", "", count));
}

void NewGroupDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_name->setEnabled(!busy);
    m_search->setEnabled(!busy);
    m_members->setEnabled(!busy);
    if (busy) {
        m_error->setText(tr("Creating the group…"));
        m_error->setPalette(palette());
        m_error->show();
    }
    updateButtons();
}

void NewGroupDialog::showError(const QString &message)
{
    QPalette errorPalette = palette();
    errorPalette.setColor(QPalette::WindowText, Theme::errorColor(errorPalette));
    m_error->setPalette(errorPalette);
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void NewGroupDialog::pickFromSearch(const QString &userId)
{
    for (const protocol::UserInfo &user : m_search->results()) {
        if (user.userId == userId) {
            addMember(user);
            m_error->hide();
            return;
        }
    }
}

void NewGroupDialog::excludePicked()
{
    QSet<QString> ids;
    for (int i = 0; i < m_members->count(); ++i)
        ids.insert(m_members->item(i)->data(kUserIdRole).toString());
    m_search->setExcludedUserIds(ids);
}

bool NewGroupDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_members && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Delete || key == Qt::Key_Backspace) && m_members->currentItem()) {
            delete m_members->currentItem();
            excludePicked();
            updateButtons();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void NewGroupDialog::create()
{
    if (!canCreate()) {
        if (!validation::isValidDisplayText(groupName(), limits::kMaxGroupNameChars))
            showError(tr("Give the group a name."));
        else if (memberIds().isEmpty())
            showError(tr("Add at least one person."));
        return;
    }
    setBusy(true);
    QCoro::Task<> creating = runCreate(groupName(), memberIds());
    Q_UNUSED(creating);
}

QCoro::Task<> NewGroupDialog::runCreate(QString name, QStringList members)
{
    QPointer<NewGroupDialog> self(this);
    if (!m_client)
        co_return;
    QCoro::Task<Result<QString>> request = m_client->groups()->createGroup(name, members);
    const Result<QString> created = co_await request;
    if (!self)
        co_return;
    setBusy(false);
    if (!created) {
        showError(created.error().code == ErrorCode::LimitExceeded
                      ? tr("That is more people than a group may have.")
                      : RequestErrorText::describe(created.error()));
        co_return;
    }
    m_conversationId = created.value();
    m_error->hide();
    accept();
}

} // namespace tern::app::ui
