#include "app/ui/ComposerBar.h"

#include "app/ui/ElidedLabel.h"
#include "app/ui/Icons.h"
#include "app/ui/Theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QPainter>
#include <QToolButton>
#include <QVBoxLayout>

namespace tern::app::ui {

namespace {
// A whole message is never needed for one elided line.
constexpr int kMaxExcerptChars = 300;
} // namespace

ComposerBar::ComposerBar(QWidget *parent)
    : QWidget(parent), m_title(new ElidedLabel(this)), m_excerpt(new ElidedLabel(this)),
      m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("composerBar"));
    m_title->setObjectName(QStringLiteral("composerBarTitle"));
    m_excerpt->setObjectName(QStringLiteral("composerBarText"));
    m_close->setObjectName(QStringLiteral("composerBarCloseButton"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    QPalette accent = m_title->palette();
    accent.setColor(QPalette::WindowText, Theme::accent(palette()));
    m_title->setPalette(accent);
    QPalette secondary = m_excerpt->palette();
    secondary.setColor(QPalette::WindowText, Theme::secondaryText(palette()));
    m_excerpt->setPalette(secondary);
    Icons::bind(m_close, Icons::Icon::Close);
    m_close->setAutoRaise(true);
    m_close->setIconSize(Icons::buttonIconSize(fontMetrics()));
    m_close->setFocusPolicy(Qt::TabFocus);
    connect(m_close, &QToolButton::clicked, this, &ComposerBar::closeClicked);

    auto *texts = new QVBoxLayout;
    texts->setContentsMargins(0, 0, 0, 0);
    texts->setSpacing(0);
    texts->addWidget(m_title);
    texts->addWidget(m_excerpt);
    auto *layout = new QHBoxLayout(this);
    const int gap = fontMetrics().height() / 2;
    // Room on the left for the accent bar painted there.
    layout->setContentsMargins(gap * 2, gap / 2, gap, 0);
    layout->addLayout(texts, 1);
    layout->addWidget(m_close, 0, Qt::AlignVCenter);
    retranslate();
    hide();
}

void ComposerBar::retranslate()
{
    m_close->setText(tr("Cancel"));
    m_close->setToolTip(tr("Cancel (Esc)"));
    m_close->setAccessibleName(tr("Cancel"));
}

void ComposerBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ComposerBar::showFor(const QString &title, const QString &excerpt)
{
    QString line = excerpt.left(kMaxExcerptChars);
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    line.replace(QChar::LineSeparator, QLatin1Char(' '));
    line.replace(QChar::ParagraphSeparator, QLatin1Char(' '));
    m_title->setFullText(title);
    m_excerpt->setFullText(line);
    setAccessibleName(title);
    setAccessibleDescription(line);
    show();
}

QString ComposerBar::title() const
{
    return m_title->text();
}

QString ComposerBar::excerpt() const
{
    return m_excerpt->text();
}

void ComposerBar::paintEvent(QPaintEvent *event)
{
    QWidget::paintEvent(event);
    QPainter painter(this);
    const int gap = fontMetrics().height() / 2;
    const QRect bar(gap, gap / 2, qMax(2, gap / 3), height() - gap / 2);
    painter.fillRect(bar, Theme::accent(palette()));
}

} // namespace tern::app::ui
