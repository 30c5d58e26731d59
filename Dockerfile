FROM python:3.11-slim
WORKDIR /app
RUN pip install --no-cache-dir uv
COPY pyproject.toml uv.lock README.md ./
COPY channelwatch channelwatch
COPY flows flows
COPY feeds feeds
COPY matching matching
COPY storage storage
COPY alerts alerts
COPY sources.yaml prefect.yaml ./
RUN uv sync --frozen --no-dev
ENV PATH="/app/.venv/bin:$PATH"
CMD ["channelwatch", "serve"]
