#include "app/ui/AboutDialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSvgRenderer>
#include <QVBoxLayout>

namespace tern::app::ui {

QString AboutDialog::version()
{
    return QStringLiteral(TERN_VERSION);
}

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Tern"));

    // The logo, four lines high, drawn at the screen's pixel ratio.
    auto *logo = new QLabel(this);
    logo->setObjectName(QStringLiteral("aboutLogo"));
    const int side = fontMetrics().height() * 4;
    const qreal dpr = devicePixelRatioF();
    QPixmap pixmap(QSize(side, side) * dpr);
    pixmap.fill(Qt::transparent);
    {
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        QSvgRenderer(QStringLiteral(":/tern/icons/tern.svg")).render(&painter);
    }
    pixmap.setDevicePixelRatio(dpr);
    logo->setPixmap(pixmap);
    logo->setAlignment(Qt::AlignTop);

    auto *name = new QLabel(tr("Tern"), this);
    name->setObjectName(QStringLiteral("aboutName"));
    QFont nameFont = name->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.4);
    name->setFont(nameFont);
    auto *versionLabel = new QLabel(tr("Version %1").arg(version()), this);
    versionLabel->setObjectName(QStringLiteral("aboutVersion"));
    versionLabel->setTextInteractionFlags(Qt::TextSelectableByMouse); // for a bug report
    auto *line = new QLabel(tr("Chat for your office network, on a server of your own."), this);
    line->setWordWrap(true);
    auto *credit = new QLabel(tr("Icons: Lucide (lucide.dev), ISC licence."), this);
    credit->setObjectName(QStringLiteral("aboutIconCredit"));
    credit->setWordWrap(true);
    for (QLabel *label : {name, versionLabel, line, credit})
        label->setTextFormat(Qt::PlainText);

    auto *text = new QVBoxLayout;
    text->addWidget(name);
    text->addWidget(versionLabel);
    text->addSpacing(fontMetrics().height() / 2);
    text->addWidget(line);
    text->addWidget(credit);
    text->addStretch();
    auto *top = new QHBoxLayout;
    top->setSpacing(fontMetrics().height());
    top->addWidget(logo);
    top->addLayout(text, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("closeButton"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Wide enough that the line and the credit wrap into a few lines, not a column of words.
    setMinimumWidth(fontMetrics().averageCharWidth() * 64);
}

} // namespace tern::app::ui
