"""How people reach the assistant: the input channels (REST and socket.io), which check and
clean every message before Rasa stores it, and the tracker store."""
