"""Editor tools: check storyboards without rendering, preview stills, contact sheets and
short preview videos. Each calls the very functions a render calls (``pipeline``),
so what they report and show is what the render will do.
"""
