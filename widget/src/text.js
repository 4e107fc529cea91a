// Everything the widget says, by language. Adding a language is adding a table with the same
// keys; a language the widget does not have falls back to English (config.js).
// Young people read these: short sentences, everyday words, warm and calm.

export const TEXT = {
  en: {
    launcher: "Chat: advice about nudes",
    title: "Advice about nudes",
    statusBot: "Automated assistant (a bot)",
    statusPerson: (name) => (name ? `${name}, a person from the team, is in this chat` : "A person from the team is in this chat"),
    close: "Close",
    leave: "Leave this site",
    leaveHint: "Leave this site now (shortcut: press Esc twice)",
    escAgain: "Press Esc again to leave this site.",
    footLine:
      "Esc twice leaves too. Leaving doesn't clear your browsing history: to clear it, open your browser's menu, then History.",
    inputLabel: "Your message",
    inputHint: "Type your message",
    send: "Send",
    you: "You",
    bot: "Assistant",
    personLabel: (name) => (name ? `${name}, a person from the team (not the bot)` : "A person from the team (not the bot)"),
    noticeLabel: "Notice",
    linksLabel: "Links",
    repliesLabel: "Choose a reply",
    newTab: "(opens in a new tab)",
    showSteps: (n) => `Show the ${n} steps`,
    hideSteps: (n) => `Hide the ${n} steps`,
    // before the first message
    introBot: "This is an automated assistant (a bot), not a person.",
    introAnonymous:
      "You don't have to say who you are. Please don't share names, addresses or photos. You can't send pictures here.",
    introKept: (team) =>
      `What you type is kept so this service can work. It isn't secret. If it sounds like someone may not be safe, a person from ${team} will read it and may act to keep people safe.`,
    introDanger: "In danger right now? Call 999. Childline is free, any time: 0800 1111.",
    onDuty: (team) => `Someone from ${team} is on duty now. They read a chat if it raises a worry about safety, or if you ask for a person.`,
    offDuty: (team) => `Nobody from ${team} is on duty right now, so a person can't join this chat now.`,
    dutyUnknown: (team) => `We can't check right now whether someone from ${team} is on duty.`,
    hoursUnconfirmed: "We can't tell you yet which days and times someone reads these chats.",
    hoursUnknown: (team) => `We can't tell you yet when a person from ${team} reads these chats.`,
    theTeam: "the team",
    // the handoff signal
    queued: "A person has been asked to read this chat.",
    unavailable: "Nobody from the team is on duty right now. In danger? Call 999. Childline is free, any time: 0800 1111.",
    joined: (name) => (name ? `${name}, a person from the team, has joined this chat.` : "A person from the team has joined this chat."),
    backToBot: "You're back with the automated assistant.",
    // connection
    restored: "Your conversation is shown again.",
    noReply:
      "No reply yet. Something may be wrong on our side: please try again in a minute. If you need help now: in danger, call 999. Childline is free, any time: 0800 1111.",
    usingRest:
      "The live connection isn't working, so the chat is using a back-up one. The assistant works as usual, but a person from the team can't write to you here.",
    bothDown:
      "The chat isn't working right now. If you need help now: in danger, call 999. Childline is free, any time: 0800 1111.",
    reconnecting: "Connection lost. Trying again. Your messages will be sent when it's back.",
  },
};
