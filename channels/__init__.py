"""How people reach the assistant: the input channels (REST and socket.io, with the socket.io
channel able to carry a staff member's live takeover), which check and
clean every message before Rasa stores it, and the tracker store."""
