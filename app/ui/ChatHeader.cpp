#include "app/ui/ChatHeader.h"

#include "app/ui/AvatarWidget.h"
#include "app/ui/ElidedLabel.h"
#include "app/ui/Icons.h"
#include "app/ui/Theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace tern::app::ui {

ChatHeader::ChatHeader(QWidget *parent)
    : QWidget(parent), m_avatar(new AvatarWidget(this)), m_title(new ElidedLabel(this)),
      m_subtitle(new ElidedLabel(this)), m_back(new QToolButton(this)),
      m_search(new QToolButton(this)), m_mute(new QToolButton(this)), m_info(new QToolButton(this))
{
    setObjectName(QStringLiteral("chatHeader"));
    m_title->setObjectName(QStringLiteral("chatTitle"));
    m_subtitle->setObjectName(QStringLiteral("chatSubtitle"));
    m_avatar->setObjectName(QStringLiteral("chatAvatar"));
    m_back->setObjectName(QStringLiteral("chatBackButton"));
    m_search->setObjectName(QStringLiteral("chatSearchButton"));
    m_mute->setObjectName(QStringLiteral("chatMuteButton"));
    m_info->setObjectName(QStringLiteral("chatInfoButton"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    Icons::bind(m_back, Icons::Icon::Back);
    m_back->setAccessibleName(tr("Back to the conversation list"));
    m_back->setToolTip(tr("Back"));
    m_back->hide();
    // Icon-only with tooltips and accessible names, as in Telegram: text beside the icons
    // would not fit a narrow window or a large system font next to a long chat name.
    Icons::bind(m_search, Icons::Icon::Search);
    m_search->setToolTip(tr("Search in this chat (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search in this chat"));
    m_mute->setCheckable(true);
    m_mute->setAccessibleName(tr("Mute this chat")); // the checked state says whether it is
    refreshMuteButton(false);
    Icons::bind(m_info, Icons::Icon::Info);
    m_info->setToolTip(tr("Chat details"));
    m_info->setAccessibleName(tr("Show chat details"));
    for (QToolButton *button : {m_back, m_search, m_mute, m_info}) {
        button->setToolButtonStyle(Qt::ToolButtonIconOnly);
        button->setIconSize(Icons::buttonIconSize(fontMetrics()));
        button->setAutoRaise(true);
    }

    auto *text = new QVBoxLayout;
    text->setSpacing(0);
    text->addWidget(m_title);
    text->addWidget(m_subtitle);
    auto *layout = new QHBoxLayout(this);
    const int margin = fontMetrics().height() / 2;
    layout->setContentsMargins(margin, margin / 2, margin, margin / 2);
    layout->addWidget(m_back);
    layout->addWidget(m_avatar);
    layout->addLayout(text, 1);
    layout->addWidget(m_search);
    layout->addWidget(m_mute);
    layout->addWidget(m_info);

    connect(m_back, &QToolButton::clicked, this, &ChatHeader::backClicked);
    connect(m_search, &QToolButton::clicked, this, &ChatHeader::searchClicked);
    connect(m_info, &QToolButton::clicked, this, &ChatHeader::infoClicked);
    connect(m_mute, &QToolButton::toggled, this, [this](bool on) {
        refreshMuteButton(on);
        emit muteToggled(on);
    });
}

void ChatHeader::setTitle(const QString &title)
{
    m_title->setFullText(title);
    setAccessibleName(title);
    //: Screen reader name of the round picture with initials in the chat header.
    m_avatar->setAccessibleName(tr("Avatar of %1").arg(title));
}

void ChatHeader::setSubtitle(const QString &subtitle, bool accent)
{
    m_subtitle->setFullText(subtitle);
    // Without a status line the name sits in the middle of the header, not above an empty row.
    m_subtitle->setVisible(!subtitle.isEmpty());
    QPalette pal = m_subtitle->palette();
    pal.setColor(QPalette::WindowText,
                 accent ? Theme::accent(palette()) : Theme::secondaryText(palette()));
    m_subtitle->setPalette(pal);
    setAccessibleDescription(subtitle);
}

void ChatHeader::setAvatar(const QString &initials, int hue, int online)
{
    m_avatar->setAvatar(initials, hue);
    m_avatar->setOnline(online);
}

void ChatHeader::setMuted(bool muted)
{
    const QSignalBlocker blocker(m_mute);
    m_mute->setChecked(muted);
    refreshMuteButton(muted);
}

void ChatHeader::refreshMuteButton(bool muted)
{
    Icons::bind(m_mute, muted ? Icons::Icon::BellOff : Icons::Icon::Bell);
    m_mute->setToolTip(muted ? tr("Muted: click to get notifications again")
                             : tr("Mute notifications for this chat"));
}

void ChatHeader::setBackVisible(bool visible)
{
    m_back->setVisible(visible);
}

void ChatHeader::setInfoVisible(bool visible)
{
    m_info->setVisible(visible);
}

QString ChatHeader::title() const
{
    return m_title->text();
}

int ChatHeader::avatarOnline() const
{
    return m_avatar->online();
}

QString ChatHeader::subtitle() const
{
    return m_subtitle->text();
}

} // namespace tern::app::ui
