#include "app/ui/NewChatDialog.h"

#include "app/ui/UserSearchWidget.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QPushButton>
#include <QVBoxLayout>

namespace tern::app::ui {

NewChatDialog::NewChatDialog(client::ChatClient *client, QWidget *parent)
    : QDialog(parent), m_search(new UserSearchWidget(client, this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this)),
      m_open(m_buttons->addButton(QString(), QDialogButtonBox::AcceptRole))
{
    setObjectName(QStringLiteral("newChatDialog"));
    m_open->setObjectName(QStringLiteral("openChatButton"));
    m_open->setEnabled(false);
    // Enter belongs to the search field (it picks a result), not to a default button.
    m_open->setAutoDefault(false);
    m_buttons->button(QDialogButtonBox::Cancel)->setAutoDefault(false);
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_search, 1);
    layout->addWidget(m_buttons);

    connect(m_search, &UserSearchWidget::userActivated, this, &NewChatDialog::pick);
    connect(m_search, &UserSearchWidget::currentUserChanged, this,
            [this] { m_open->setEnabled(m_search->currentUser().has_value()); });
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (const auto user = m_search->currentUser())
            pick(user->userId);
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    const int line = fontMetrics().height();
    resize(line * 24, line * 22);
    retranslate();
    m_search->setFocus();
}

void NewChatDialog::retranslate()
{
    setWindowTitle(tr("New chat"));
    m_open->setText(tr("&Open chat"));
    m_open->setAccessibleName(tr("Open a chat with the selected user"));
}

void NewChatDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void NewChatDialog::pick(const QString &userId)
{
    for (const protocol::UserInfo &user : m_search->results()) {
        if (user.userId == userId) {
            m_selected = user;
            accept();
            return;
        }
    }
}

} // namespace tern::app::ui
