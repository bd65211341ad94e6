#pragma once

//! The round floating "jump to latest" button of a chat, with a badge counting new messages.

#include <QAbstractButton>

namespace tern::app::ui {

class JumpToLatestButton : public QAbstractButton
{
    Q_OBJECT
public:
    explicit JumpToLatestButton(QWidget *parent = nullptr);

    //! Messages that arrived below the visible part; 0 hides the badge.
    void setCount(int count);
    int count() const { return m_count; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateTexts();

    int m_count = 0;
};

} // namespace tern::app::ui
