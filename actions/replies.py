"""Sends rendered content to the user in the shapes the widget and REST channel expect."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from advice.content import Reply


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)
    if reply.links:
        # links travel as a custom payload so the widget can open them in a new tab
        dispatcher.utter_message(json_message={"links": reply.links})
