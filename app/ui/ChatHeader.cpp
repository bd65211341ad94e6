#include "app/ui/ChatHeader.h"

#include "app/ui/AvatarWidget.h"
#include "app/ui/Theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace tern::app::ui {

ChatHeader::ChatHeader(QWidget *parent)
    : QWidget(parent)
    , m_avatar(new AvatarWidget(this))
    , m_title(new QLabel(this))
    , m_subtitle(new QLabel(this))
    , m_back(new QToolButton(this))
    , m_search(new QToolButton(this))
    , m_mute(new QToolButton(this))
    , m_info(new QToolButton(this))
{
    setObjectName(QStringLiteral("chatHeader"));
    m_title->setObjectName(QStringLiteral("chatTitle"));
    m_subtitle->setObjectName(QStringLiteral("chatSubtitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_subtitle->setTextFormat(Qt::PlainText);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    m_back->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_back->setAccessibleName(tr("Back to the conversation list"));
    m_back->setToolTip(tr("Back"));
    m_back->hide();
    m_search->setText(tr("Search"));
    m_search->setIcon(style()->standardIcon(QStyle::SP_FileDialogContentsView));
    m_search->setToolTip(tr("Search in this chat (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search in this chat"));
    m_mute->setCheckable(true);
    m_mute->setText(tr("Mute"));
    m_mute->setToolTip(tr("Mute notifications for this chat"));
    m_mute->setAccessibleName(tr("Mute this chat"));
    m_info->setText(tr("Info"));
    m_info->setIcon(style()->standardIcon(QStyle::SP_FileDialogInfoView));
    m_info->setToolTip(tr("Chat details"));
    m_info->setAccessibleName(tr("Show chat details"));
    for (QToolButton *button : {m_search, m_mute, m_info})
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

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
        m_mute->setText(on ? tr("Muted") : tr("Mute"));
        emit muteToggled(on);
    });
}

void ChatHeader::setTitle(const QString &title)
{
    m_title->setText(title);
    setAccessibleName(title);
}

void ChatHeader::setSubtitle(const QString &subtitle, bool accent)
{
    m_subtitle->setText(subtitle);
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
    m_mute->setText(muted ? tr("Muted") : tr("Mute"));
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
