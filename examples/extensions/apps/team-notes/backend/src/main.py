from fastapi import FastAPI

app = FastAPI(title="team-notes")


@app.get("/health")
def health():
    return {"status": "ok"}
