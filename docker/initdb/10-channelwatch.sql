-- channelwatch keeps its tables in a database of its own, apart from Prefect's.
CREATE DATABASE channelwatch OWNER prefect;
