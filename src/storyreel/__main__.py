from storyreel.cli import run

run()
