"""The import pipeline, one for every kind of file: the row reader (`reader`), the kinds the
apps register (`registry`), the jobs that check a file and import it on confirmation, in the
worker when it is big (`jobs`), the upload and job pages (`views`) and the commands' base
(`command`)."""
