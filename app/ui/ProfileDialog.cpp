#include "app/ui/ProfileDialog.h"

#include "app/client/ChatClient.h"
#include "app/client/Inbox.h"
#include "app/models/Avatar.h"
#include "app/models/UserDirectory.h"
#include "app/session/AccountSession.h"
#include "app/ui/AvatarWidget.h"
#include "app/ui/RequestErrorText.h"
#include "app/ui/Theme.h"
#include "shared/model/Limits.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tern::app::ui {

using client::ChatClient;
using client::ChatConnection;

ProfileDialog::ProfileDialog(session::AccountSession *session, QWidget *parent)
    : QDialog(parent), m_session(session), m_avatar(new AvatarWidget(this)),
      m_name(new QLabel(this)), m_userName(new QLabel(this)), m_status(new QLabel(this)),
      m_edit(new QPushButton(tr("&Edit name"), this)), m_editRow(new QWidget(this)),
      m_nameEdit(new QLineEdit(m_editRow)), m_save(new QPushButton(tr("&Save"), m_editRow)),
      m_cancel(new QPushButton(tr("Cancel"), m_editRow)), m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("profileCard"));
    setWindowTitle(tr("Profile"));
    m_avatar->setObjectName(QStringLiteral("profileAvatar"));
    m_name->setObjectName(QStringLiteral("profileDisplayName"));
    m_userName->setObjectName(QStringLiteral("profileUserName"));
    m_status->setObjectName(QStringLiteral("profileStatus"));
    m_edit->setObjectName(QStringLiteral("profileEditButton"));
    m_editRow->setObjectName(QStringLiteral("profileEditRow"));
    m_nameEdit->setObjectName(QStringLiteral("profileNameEdit"));
    m_save->setObjectName(QStringLiteral("profileSaveButton"));
    m_cancel->setObjectName(QStringLiteral("profileCancelButton"));
    m_error->setObjectName(QStringLiteral("profileError"));

    const int line = fontMetrics().height();
    m_avatar->setFixedSize(line * 4, line * 4);
    // Names come from users: never rich text.
    for (QLabel *label : {m_name, m_userName, m_status, m_error}) {
        label->setTextFormat(Qt::PlainText);
        label->setWordWrap(true);
        label->setAlignment(Qt::AlignHCenter);
    }
    QFont nameFont = m_name->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.3);
    m_name->setFont(nameFont);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_userName->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette secondary = m_userName->palette();
    secondary.setColor(QPalette::WindowText, Theme::secondaryText(secondary));
    m_userName->setPalette(secondary);
    m_status->setPalette(secondary);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, Theme::errorColor(errorPalette));
    m_error->setPalette(errorPalette);
    // Room for the user name and a refusal is kept from the start: the card never has to grow
    // (and squeeze) when they arrive.
    m_userName->setMinimumHeight(line);
    m_error->setMinimumHeight(line * 3);
    m_error->setAlignment(Qt::AlignHCenter | Qt::AlignTop);

    m_edit->setAccessibleName(tr("Edit your display name"));
    m_nameEdit->setMaxLength(limits::kMaxDisplayNameChars);
    m_nameEdit->setAccessibleName(tr("Display name"));
    m_nameEdit->setAccessibleDescription(tr("Enter saves, Esc cancels"));
    m_nameEdit->installEventFilter(this);
    m_save->setAccessibleName(tr("Save the display name"));
    m_cancel->setAccessibleName(tr("Cancel editing the display name"));
    // Enter belongs to the name field (it saves), never to a default button closing the card.
    m_save->setAutoDefault(false);
    m_cancel->setAutoDefault(false);
    m_edit->setAutoDefault(false);

    auto *editLayout = new QHBoxLayout(m_editRow);
    editLayout->setContentsMargins(0, 0, 0, 0);
    editLayout->addWidget(m_nameEdit, 1);
    editLayout->addWidget(m_save);
    editLayout->addWidget(m_cancel);
    m_editRow->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("profileButtons"));
    if (QPushButton *close = buttons->button(QDialogButtonBox::Close)) {
        close->setObjectName(QStringLiteral("profileCloseButton"));
        close->setAutoDefault(false);
    }

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_avatar, 0, Qt::AlignHCenter);
    layout->addWidget(m_name);
    layout->addWidget(m_userName);
    layout->addWidget(m_status);
    layout->addSpacing(line / 2);
    layout->addWidget(m_edit, 0, Qt::AlignHCenter);
    layout->addWidget(m_editRow);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(buttons);
    setMinimumWidth(fontMetrics().averageCharWidth() * 56);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_edit, &QPushButton::clicked, this, &ProfileDialog::startEdit);
    connect(m_save, &QPushButton::clicked, this, &ProfileDialog::save);
    connect(m_cancel, &QPushButton::clicked, this, &ProfileDialog::cancelEdit);
    if (m_session) {
        connect(m_session->users(), &models::UserDirectory::namesChanged, this,
                &ProfileDialog::refresh);
        connect(m_session->client()->connection(), &ChatConnection::stateChanged, this,
                &ProfileDialog::refreshStatus);
        // The card belongs to the account: it goes when the account does (signed out).
        connect(m_session, &QObject::destroyed, this, &QDialog::reject);
        const QString me = m_session->client()->connection()->userId();
        if (m_session->users()->userInfo(me).user.isEmpty())
            m_session->users()->resolve({me});
    }
    refresh();
    refreshStatus();
}

bool ProfileDialog::isEditing() const
{
    return !m_editRow->isHidden();
}

QString ProfileDialog::errorText() const
{
    return m_error->text();
}

QString ProfileDialog::errorTextFor(const Error &error, bool online)
{
    switch (error.code) {
    case ErrorCode::BadRequest:
        return tr("This name cannot be used. A display name has 1 to 64 characters and no "
                  "control or invisible characters.");
    case ErrorCode::RateLimited:
        return tr("You changed your name too often. Wait a minute and try again.");
    case ErrorCode::Internal:
        if (!online)
            return tr("You are offline. Your name can be changed once Tern is connected again.");
        break;
    default:
        break;
    }
    return RequestErrorText::describe(error);
}

void ProfileDialog::refresh()
{
    if (!m_session)
        return;
    const QString me = m_session->client()->connection()->userId();
    const protocol::UserInfo info = m_session->users()->userInfo(me);
    const QString name = info.displayName.isEmpty() ? info.user : info.displayName;
    m_name->setText(name);
    m_name->setAccessibleName(tr("Display name: %1").arg(name));
    m_userName->setText(info.user.isEmpty() ? QString() : QStringLiteral("@") + info.user);
    m_userName->setAccessibleName(info.user.isEmpty() ? QString()
                                                      : tr("User name: %1").arg(info.user));
    m_avatar->setAvatar(models::Avatar::initials(name), models::Avatar::hue(me));
    m_avatar->setAccessibleName(tr("Your picture: %1").arg(models::Avatar::initials(name)));
}

void ProfileDialog::refreshStatus()
{
    if (!m_session)
        return;
    QString status;
    switch (m_session->client()->connection()->state()) {
    case ChatConnection::State::Online:
        status = tr("Online");
        break;
    case ChatConnection::State::Offline:
        status = tr("Offline");
        break;
    default:
        status = tr("Connecting…");
        break;
    }
    m_status->setText(status);
    m_status->setAccessibleName(tr("Status: %1").arg(status));
    m_avatar->setOnline(
        m_session->client()->connection()->state() == ChatConnection::State::Online ? 1 : 0);
}

void ProfileDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setAccessibleName(text);
}

void ProfileDialog::startEdit()
{
    m_nameEdit->setText(m_name->text());
    m_nameEdit->selectAll();
    m_edit->hide();
    m_editRow->show();
    showError(QString());
    m_nameEdit->setFocus();
}

void ProfileDialog::cancelEdit()
{
    m_editRow->hide();
    m_edit->show();
    showError(QString());
    m_edit->setFocus();
}

void ProfileDialog::save()
{
    if (!m_session || m_saving || !isEditing())
        return;
    const QString name = m_nameEdit->text().trimmed();
    if (name == m_name->text()) {
        cancelEdit(); // nothing to change
        return;
    }
    saveNow(name);
}

QCoro::Task<> ProfileDialog::saveNow(QString name)
{
    QPointer<ProfileDialog> self(this);
    QPointer<ChatClient> client = m_session->client();
    m_saving = true;
    m_editRow->setEnabled(false);
    showError(QString()); // a new answer is coming
    QCoro::Task<Result<QString>> saving = client->inbox()->setDisplayName(name);
    const Result<QString> saved = co_await std::move(saving);
    if (!self)
        co_return;
    m_saving = false;
    m_editRow->setEnabled(true);
    if (!saved) {
        // The old name stays on the card; the typed one stays in the field to be fixed.
        showError(errorTextFor(saved.error(), client && client->connection()->state() ==
                                                            ChatConnection::State::Online));
        m_nameEdit->setFocus();
        co_return;
    }
    refresh();
    cancelEdit();
}

bool ProfileDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_nameEdit && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Escape) {
            cancelEdit(); // not the dialog's Esc: that would close the card
            return true;
        }
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            save();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace tern::app::ui
