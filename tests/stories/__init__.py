"""The story corpus: bilingual CSR stories in Markdown and a generator of their pictures."""
