"""Build the built-in example library (src/ficlens/examples/) from the stories in this file.

    python scripts/make_examples.py

Writes six original fics in the shapes fans keep them (plain text with notes, one paragraph per
line, an AO3 HTML download, an AO3 EPUB as Calibre makes it, a FanFicFare EPUB and a FanFicFare
TXT) plus `expected.json`, the answer key tests check readers and analysis stages against. The
output is byte-for-byte reproducible: fixed zip timestamps, no randomness.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
import zipfile
from pathlib import Path
from urllib.parse import quote

OUT = Path(__file__).resolve().parent.parent / "src" / "ficlens" / "examples"
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
AO3 = "https://archiveofourown.org"
# ---------------------------------------------------------------------------------------------
# The stories. All original, written for ficlens, set in an invented TV show, "Tidewatch":
# a lighthouse on Harrow Point, its keeper Marisol "Sol" Vantongeren, her sister Wren ("Birdie"),
# the cartographer Tobias "Toby" Reyne, Captain Ilse Harrow of the Kestrel and her cook Jory.
# Paragraphs are separated by blank lines; "***" is a scene break; *word* is emphasis.
# ---------------------------------------------------------------------------------------------

LAST_LIGHT_TITLE = "The Last Light on Harrow Point"
LAST_LIGHT_AUTHOR = "saltwater_ink"
LAST_LIGHT_FRONT = (
    "A/N: Ok so I’ve been sitting on this one since the Tidewatch finale and I finally wrote it in one go "
    "on the train, so it’s barely edited. Sol deserved better and I will die on this hill. Not beta read, "
    "all mistakes are mine!"
)
LAST_LIGHT_END = (
    "Thanks for reading!! Comments are love and I read every single one. Come yell about Tidewatch with me "
    "on tumblr, I’m saltwater-ink there too."
)
LAST_LIGHT = """
The letter from the Coastal Board came on a Tuesday, which Tobias Reyne would later decide was the cruellest part. Nothing good had ever been decided on a Tuesday.

He found Marisol on the gallery of the lighthouse, elbows on the rail, a mug of coffee going cold beside her. The wind had pulled half her hair loose from its braid. She didn’t turn when the hatch creaked.

“You read it,” she said.

“I read it.” He climbed the last rungs and stood beside her. Below them the sea was the colour of pewter, flat and patient, the way it only ever looked before weather. “Decommissioned. They could have at least spelled it right.”

That earned him half a smile. It was gone before he could hold on to it.

“Automated beacon by spring,” Marisol said. “A box on a pole. It doesn’t need anyone to keep it.”

“It doesn’t need anyone to talk to it, either. You talk to the lens, Sol. I’ve heard you.”

“Only when it’s being difficult.”

“So, always.”

She laughed then, properly, and Tobias felt the sound go through him like the first warm day of the year. He had come to Harrow Point three summers ago with a theodolite and a contract to remap the shoals, and he had meant to stay six weeks. He had stayed because of the lens, he told people. Because of the charts. Because the Board kept extending his contract and it seemed rude to refuse.

He had stayed because of her, and everyone on the coast knew it except, apparently, Marisol.

“They’ve offered me a post at Dunmere,” she said. “Harbour office. Paperwork and a pension.”

“And?”

“And I’m going to stay.”

He turned to look at her. She was watching the horizon, where the Kestrel should have shown an hour ago and hadn’t.

“Stay where? They’re taking the station.”

“They’re taking the light. They can’t take the cottage until the lease runs out, and that’s another year.” She picked up the mug, looked at it, put it down again. “Somebody has to be here when the Kestrel comes in. Somebody has to be here for the ones the box on the pole doesn’t see.”

“Sol.”

“Don’t.”

“Marisol.” He said her whole name so rarely that she finally looked at him. “Nobody keeps a light for a ship that isn’t coming.”

The words came out harder than he meant them. Her jaw set, and for a moment he thought she would go down the ladder and leave him up there with the gulls.

Instead she said, very quietly, “Then I’ll keep it for the one that is.”

***

The Kestrel came in at dusk, limping, her foremast split and Captain Harrow swearing at the harbour in three languages. Tobias stood on the slipway with a lantern and watched Marisol run the length of the breakwater, boots slapping wet stone, and catch the bow line one-handed like she had done it every night of her life.

Maybe she had. He had never counted.

“You’re late!” Marisol shouted.

“And you’re still here!” the captain shouted back. “Thought the Board had you packed off to a desk.”

“They tried.”

Later, when the crew had been fed and the lamp room was warm, Tobias spread his charts across the keeper’s table. Three summers of soundings. Every rock, every shoal, every channel that shifted with the winter storms.

“What’s this?” Marisol asked, leaning over his shoulder.

“Proof,” he said. “That the box on a pole can’t see the Widow’s Teeth from the north approach. That it needs a keeper. That it needs you.”

She was quiet for so long that he looked up. Her eyes were bright.

“You did this for me, Toby?”

“I did it because it’s true.” He swallowed. “And for you. Mostly for you.”

She didn’t say anything. She leaned down and kissed him, once, carefully, the way you would set a lens back in its frame, and then she straightened and picked up the top chart as if nothing at all had happened.

“Your north bearing’s off by half a degree,” she said.

“It is not.”

“It is. I’ll show you in the morning.”

He looked at her, at the lamp turning behind her, at the dark sea that had finally given back its ship, and he thought that he would let her show him anything she liked, every morning, for as long as the lease held and a good while after.
"""

SALT_AND_STATIC = """
The letter is on the kitchen table when I come down, propped against the sugar tin like it owns the place.
I don't open it. I don't need to. Everyone on the coast has known what it says since March, when the Board sent a man in a grey coat to count our lamps and frown at the lens.
So I take my coffee up to the gallery, because the sea has never once lied to me, and I wait for the Kestrel.
She should be round the headland by now. She isn't. I tell myself that Ilse Harrow has been late before, that the wind's been backing all night, that a captain who has survived thirty winters on this coast will not be undone by a Tuesday.
The hatch creaks behind me. I know it's Toby without looking. He climbs like a man who learned ladders as an adult, all caution and elbows.
"You read it," I say.
"I read it." He comes to stand next to me, close enough that our sleeves touch. "Decommissioned. They could have at least spelled it right."
I smile before I can stop myself. He always does that. He finds the one ridiculous thing in a disaster and hands it to me like a shell he picked up on the beach.
"Automated beacon by spring," I tell him. "A box on a pole. It doesn't need anyone to keep it."
"It doesn't need anyone to talk to it, either. You talk to the lens, Sol. I've heard you."
"Only when it's being difficult."
"So, always."
I laugh, and it hurts a little, the way laughing does when you have been holding your breath for a week.
Here is what I don't say: that three summers ago a cartographer with a sunburnt nose and a crate of instruments rowed out to the Point and asked if he could borrow my tide tables, and never quite gave them back. That the Board keeps extending his contract and he keeps letting them. That I have started setting out two mugs in the morning without deciding to.
"They've offered me a post at Dunmere," I say instead. "Harbour office. Paperwork and a pension."
"And?"
"And I'm going to stay."
I can feel him turn to look at me. I keep my eyes on the headland. Come on, Ilse. Come on.
"Stay where? They're taking the station."
"They're taking the light. They can't take the cottage until the lease runs out, and that's another year." I pick up my mug. It's cold. I put it down. "Somebody has to be here when the Kestrel comes in. Somebody has to be here for the ones the box on the pole doesn't see."
"Sol."
"Don't."
"Marisol."
Nobody calls me that. Not since my mother. It makes me look at him, which I suppose is what he wants.
"Nobody keeps a light for a ship that isn't coming," he says.
He doesn't mean it cruelly. I know that even while it lands like a slap. He means: let go. He means: there is a life at Dunmere with a roof that doesn't leak and a bed that isn't forty steps from the lamp. He means: I'm afraid for you.
I think about going down the ladder and leaving him with the gulls. I think about it for a long time.
"Then I'll keep it for the one that is," I say.
He doesn't answer. He just stays, which is the thing about Toby. He always stays.
* * *
At dusk the Kestrel comes round the headland with her foremast split, and I am running before I know I have decided to run.
The breakwater is slick and my boots are wrong for it and I do not care. I catch the bow line one-handed. Ilse is swearing at me from the wheel in three languages, and I have never heard anything so beautiful.
"You're late!" I shout.
"And you're still here!" she shouts back. "Thought the Board had you packed off to a desk."
"They tried."
Behind me, on the slipway, Toby is holding up a lantern so I can see my footing. He doesn't call out. He doesn't have to.
Later, he spreads his charts across my table and tells me they are proof. Three summers of soundings. Every rock the box on a pole will never see.
"You did this for me, Toby?"
"I did it because it's true," he says, and then, like it costs him something, "And for you. Mostly for you."
So I kiss him, because somebody in this lighthouse has to be brave, and then I pick up the top chart so he won't see my hands shake.
His north bearing is off by half a degree. I'll show him in the morning. I'll show him every morning I can.
"""

CHARTING = dict(
    title="Charting the Dark",
    authors=["lanternjaw"],
    rating="General Audiences",
    warnings=["No Archive Warnings Apply"],
    categories=["Gen"],
    fandoms=["Tidewatch (TV)", "Tidewatch - Elin Marrow"],
    relationships=["Marisol Vantongeren/Tobias Reyne", "Ilse Harrow & Wren Vantongeren"],
    characters=["Wren Vantongeren", "Ilse Harrow", "Marisol Vantongeren", "Tobias Reyne", "Jory Penhallow"],
    tags=["Found Family", "Storms", "Background Relationship", "Sisters", "Missing Scene"],
    language="English",
    series=[{"name": "Tidewatch Shorts", "part": 1}],
    published="2023-05-02",
    updated="2023-05-19",
    chapters_stated="2/?",
    url="https://archiveofourown.org/works/48000001",
    inspired_by=["The Last Light on Harrow Point by saltwater_ink"],
    children=["Harbour Lights (quietharbour)"],
    summary="The night the Kestrel was late, told from the deck. Wren was supposed to stay below.",
    front="This is a companion to saltwater_ink’s lovely Harrow Point fic, go and read that first!\n\nAlso I know nothing about sailing. Please be kind.",
    end="Thank you for reading! Kudos and comments make my whole week.",
    chapter_list=[
        dict(
            title="The Widow’s Teeth",
            notes="The chapter title is the reef from episode four.",
            end_notes="Jory the cook is my OC, sorry not sorry.",
            text="""
Wren Vantongeren had been told, repeatedly and at volume, to stay below.

She was not below.

She was wedged between the water casks at the stern of the *Kestrel* with a borrowed oilskin over her head, watching Captain Ilse Harrow fight the wheel. The storm had come up out of the south-west an hour before dawn, fast and black, and now the whole sea seemed to be trying to climb aboard.

“Birdie!” The captain didn’t even turn her head. “I can see your boots.”

“You can’t see anything,” Wren shouted back. “That’s the problem!”

“Cheek.” A wave broke green over the rail and Harrow leaned into it like it had insulted her mother. “Get up here, then, if you’re going to be useless somewhere. Hold this.”

This was the lamp, a heavy brass thing on a hook by the binnacle. Wren scrambled up and held it, and the light swung and showed her the compass card spinning like a coin.

“Where are we?”

“North of where I’d like to be.” Harrow spat rain. “The Widow’s Teeth are somewhere off the port bow. I’d like them to stay there.”

Wren knew the Teeth. Everyone on Harrow Point knew the Teeth: a line of black rock that showed at low water like the jaw of something drowned. Sol had a chart of them pinned over the kitchen stove, every rock inked in Toby’s careful hand.

“Sol will have the light lit,” she said.

“Your sister would light that lamp if the tower was on fire.”

“It might be. She was very angry about the letter.”

Harrow laughed, a short bark that the wind took away. “Good. Angry keepers keep better.”

They ran on through the dark. Somewhere forward a rope parted with a crack like a gunshot, and Jory the cook yelled something that was mostly vowels. The foremast groaned.

“Captain—”

“I heard it.”

“It’s going to—”

“I know what it’s going to do, Birdie. Hold the lamp.”

Wren held the lamp. Her arms burned. She thought of Sol up on the gallery with her cold coffee, and of Toby pretending not to watch Sol, and of the letter on the kitchen table that said none of it mattered any more.

Then, low on the horizon, exactly where it should have been, a light.

It swept once across the water and was gone. Wren counted. Four seconds. Five. Six.

There it was again.

“Harrow Point,” said the captain, and for the first time all night her voice was soft. “Well, I’ll be damned. She kept it.”
""",
        ),
        dict(
            title="Landfall",
            summary="Landfall, and an old saying.",
            text="""
They came in at dusk with the foremast split and half the crew bailing. Wren stood in the bow with the line coiled ready, and when she saw a figure running the length of the breakwater she knew it before she could see a face.

“Sol!”

Her sister caught the bow line one-handed. Of course she did.

“You’re late!” Sol shouted, not to Wren but past her, to the wheel.

“And you’re still here!” Harrow bellowed. “Thought the Board had you packed off to a desk.”

“They tried.”

Wren jumped down onto the wet stone and was hugged so hard her ribs creaked. Sol smelled of lamp oil and salt and the cinnamon she put in everything.

“You were supposed to stay below,” Sol said into her hair.

“Who told you that?”

“Nobody. I know you.”

On the slipway, Toby was holding up a lantern. He raised it a little when Wren waved, which for Toby was practically a speech.

***

That night the cottage was full. The crew ate everything in the larder and two things that Wren was fairly sure were not food. Toby spread his charts over the table and talked to Sol in a low voice, and Sol went very still, and then Wren saw her sister lean down and kiss him.

She looked at Harrow. Harrow looked at her.

“Don’t,” said the captain.

“I wasn’t going to say anything.”

“You were going to say *finally*.”

“Well.” Wren grinned into her stew. “Finally.”

Later, when the fire had burned down, Wren sat on the step with the captain and watched the beam go round.

“There’s an old saying on this coast,” Harrow said. “Nobody keeps a light for a ship that isn’t coming.”

“That’s a horrible saying.”

“It’s a true one. Mostly.” Harrow knocked out her pipe against the step. “Your sister’s the exception. She keeps it anyway. That’s why we came home.”

Wren thought about that for a long time. The beam came round, and round, and round.

“Captain?”

“Mm.”

“Can I sail with you again? In the spring?”

“Ask your sister.”

“She’ll say no.”

“Then ask her twice,” said Harrow, and went inside.
""",
        ),
    ],
)

GULLS = dict(
    title="Where the Gulls Go",
    authors=["Anonymous"],
    rating="General Audiences",
    warnings=["No Archive Warnings Apply"],
    categories=["F/M"],
    fandoms=["Tidewatch (TV)"],
    relationships=["Tobias Reyne/Reader"],
    characters=["Tobias Reyne", "Reader", "Marisol Vantongeren"],
    tags=["Reader-Insert", "Second Person", "Fluff", "Ferries", "Meet-Cute"],
    language="English",
    series=[],
    published="2022-11-30",
    updated=None,
    chapters_stated="1/1",
    url="https://archiveofourown.org/works/43000002",
    inspired_by=[],
    summary="You are the Board's inspector. He is the cartographer who will not stop drawing gulls.",
    front="Y/N = your name. Requested by an anon on tumblr, hope you like it!",
    end="Part two only if you ask nicely :)",
    chapter_list=[
        dict(
            title=None,
            text="""
The ferry to Harrow Point leaves at seven, and you are on it at six fifty-eight, out of breath, your bag banging against your hip.

"Cutting it fine," says the man at the rail.

You look up. He is tall and windburnt, with ink on his fingers and a roll of paper under one arm that he holds like a baby he doesn't trust anyone else with. There is a pencil behind his ear. There is another pencil behind his other ear.

"I had it under control," you tell him.

"Clearly."

The ferry shudders away from the quay. You grab the rail, and so does he, and your hands are very close together on the wet iron.

"Y/N," you say, because it seems rude not to.

"Tobias. Toby, if you like. Most people on the Point do." He nods at your bag. "Visiting?"

"Working. The Board sent me to look at the lighthouse."

His face does something complicated. "Ah."

"Ah?"

"You're the one with the clipboard."

You are, in fact, the one with the clipboard. It is in your bag, under a survey form eleven pages long and a letter you have been told to deliver by hand.

"Is that a problem?"

"Not for me," Toby says. "For you, maybe. The keeper has opinions about clipboards."

The gulls follow the ferry the whole way out, wheeling and shrieking. You watch them because it is easier than watching him, and because he has unrolled his paper against the wind and is drawing them, quick and sure, three lines to a bird.

"Where do they go in winter?" you ask.

"The gulls? Nowhere. They stay." He looks past you at a white tower on a black headland. "Everything on the Point stays. It's a bad habit."

"Is that a warning?"

"It's a forecast."

You laugh. You didn't plan to. He looks pleased about it, and then embarrassed about looking pleased, and goes back to his gulls.

"Can I ask you something, Toby?"

"You can ask."

"What's she like? The keeper."

He takes so long to answer that you think he hasn't heard you over the engine. Then he puts his pencil behind his ear, next to the other one, and says, "Stubborn. Funny, when she forgets not to be. She talks to the lens when she thinks nobody's listening."

"And you listen."

"Somebody has to," he says, and doesn't look at you, and you decide to let that one go.

***

The keeper is waiting on the quay with her arms folded. She is younger than you expected and about twice as fierce.

"Sol," Toby says, "this is Y/N. From the Board."

"I know who she's from," says the keeper. "I can smell the paperwork."

"Marisol," Toby says, in a voice that means *behave*.

"What? I said hello."

"You did not say hello."

"Hello," says Marisol, to you, with great dignity. "Welcome to Harrow Point. Please don't close my lighthouse."

You think about the letter in your bag. You think about the eleven-page form and the box it asks you to tick, the one that says *no longer required*. You think about the gulls that stay.

"I'm only here to look," you say.

"That's what the last one said."

"Then I'll look properly."

Toby catches your eye over the keeper's shoulder. He doesn't smile, exactly. But he holds up his drawing, and you see that somewhere between the quay and the headland he has added a fourth figure to the gulls: someone at the rail, hair blown sideways, clutching a bag.

"You drew me," you say.

"You were in the way of the gulls."

"Liar."

"Cartographer," he corrects you. "It's similar."

Marisol looks from him to you and back again and sighs the sigh of a woman who has seen weather coming for a very long time.

"Come on, then, inspector," she says. "Mind the steps. Forty-one of them, and the Board never fixed the ninth."
""",
        ),
    ],
)

FOG = dict(
    title="Fog Season",
    authors=["quietharbour"],
    site="archiveofourown.org",
    url="https://archiveofourown.org/works/39000003",
    author_url="https://archiveofourown.org/users/quietharbour/pseuds/quietharbour",
    fandoms=["Tidewatch (TV)"],
    genre=["Gen", "Friendship", "Hurt/Comfort"],
    categories=["Gen"],
    tags=["Friendship", "Hurt/Comfort"],
    characters=["Ilse Harrow", "Jory Penhallow"],
    relationships=["Ilse Harrow & Jory Penhallow"],
    status="Completed",
    published="2021-09-14",
    updated="2021-10-02",
    packaged="2024-01-05 10:12:44",
    rating="Teen And Up Audiences",
    warnings=["No Archive Warnings Apply"],
    chapters_stated="2",
    language="English",
    summary="Three days at anchor in the fog off Dunmere, and a cook who will not stop talking.",
    front="Written for the Tidewatch Rare Pairs exchange. Thank you to my beta, who knows what a halyard is.",
    end="The recipe in chapter two is my gran’s. Thank you for reading!",
    chapter_list=[
        dict(
            title="1. The First Day",
            notes="Ilse POV throughout. Jory is an OC from lanternjaw’s fics, borrowed with permission.",
            end_notes="More fog next chapter. So much fog.",
            text="""
The fog comes in at noon and does not leave.

Ilse Harrow stands at the rail of the *Kestrel* and watches it eat the coast: first the headland, then the harbour wall at Dunmere, then the bell buoy that she can still hear clanking somewhere to starboard like a tired heart. By two o’clock there is nothing left of the world but grey, and the slap of water on the hull, and Jory.

“We could row in,” Jory says.

“We could drown.”

“We could row in *carefully*.”

She doesn’t answer. She has sailed this coast for thirty winters and she has buried men who rowed in carefully. The anchor is down, the lamps are lit, and the *Kestrel* is going nowhere until she can see her own bowsprit.

Jory leans on the rail beside her. He is a big, soft-spoken man who cooks like a saint and talks like a river, and after eleven years she still cannot decide whether he is the best thing that ever happened to her ship or a punishment for something she did in a previous life.

“My gran used to say fog was the sea thinking,” he says.

“Your gran said a great many things.”

“She did. Most of them true.” He scratches his beard. “She said you should never trust a captain who doesn’t eat breakfast.”

Ilse looks at him sideways. “I ate breakfast.”

“You drank coffee standing up and threw half a biscuit at a gull.”

“The gull had it coming.”

He laughs, and the fog swallows that too.

***

Night comes without anyone noticing, the grey just going darker by degrees. Ilse takes the first watch because she always takes the first watch. She counts the bell buoy. She counts her own breathing. Somewhere below, Jory is singing to the stove, badly, a song about a girl from Carrick who married a seal.

She thinks about Harrow Point, two days north. About the keeper there, who lights her lamp every night whether or not anyone is coming. She thinks that she has never once told Marisol Vantongeren what it is like to see that light from the deck, and that she probably never will.

At midnight Jory brings her soup without being asked.

“Go to bed, Captain.”

“In a minute.”

“You said that an hour ago.”

“Then it’s been a long minute,” she says, and takes the soup.
""",
        ),
        dict(
            title="2. The Third Day",
            text="""
On the third morning the fog is still there, and Ilse is beginning to take it personally.

She finds Jory in the galley with flour to his elbows. There are loaves cooling on every flat surface. There are loaves on the chart table. There is, she notices, a loaf on her chair.

“Jory.”

“Captain.”

“Why is there bread on my chair?”

“Because the chart table was full.” He does not look up from his dough. “You can’t sail, you can’t see, and you haven’t slept. So I’m baking. It’s what I do when I can’t do anything.”

She sits on the bench instead, carefully, away from the bread. The galley is warm and smells of yeast and woodsmoke, and for the first time in three days her shoulders come down from around her ears.

“My gran’s recipe,” Jory says. “Salt, flour, water, patience. Mostly patience.”

“I don’t have any patience.”

“I know. That’s why I make the bread.”

She wants to say something sharp. She can’t think of anything. She watches his big hands fold the dough over and over, and she thinks of all the nights he has brought her soup without being asked, and all the mornings she has thrown biscuits at gulls instead of saying thank you.

“Jory,” she says.

“Mm?”

“Thank you.”

He stops kneading. He looks at her properly, flour on his nose, and she can see him decide not to make a joke of it.

“You’re welcome, Ilse,” he says.

He almost never uses her name. It sits between them in the warm galley like a loaf set out to cool.

Above them, on deck, somebody shouts. Then somebody else. Then the whole crew, all at once, and Ilse is up the ladder before she has decided to move.

The fog is lifting. It is going the way it came, all at once and without apology, and there is the harbour wall, and there is the bell buoy, and there is a pale sun sitting on the water like it has been there all along.

“Well,” says Jory, at her shoulder, “look at that.”

“Weigh anchor,” Ilse says. “We’re going home.”

“After breakfast,” says Jory.

She looks at him. He looks back, perfectly serious, holding out half a loaf.

She eats it standing up. But she eats all of it.
""",
        ),
    ],
)

LEDGER = dict(
    title="The Cartographer's Ledger",
    authors=["inkandsoundings"],
    site="archiveofourown.org",
    url="https://archiveofourown.org/works/51000004",
    author_url="https://archiveofourown.org/users/inkandsoundings/pseuds/inkandsoundings",
    fandoms=["Tidewatch (TV)"],
    genre=["F/M", "Pre-Relationship", "First Meetings"],
    categories=["F/M"],
    tags=["Pre-Relationship", "First Meetings"],
    characters=["Tobias Reyne", "Marisol Vantongeren", "Wren Vantongeren"],
    relationships=["Marisol Vantongeren/Tobias Reyne"],
    status="In-Progress",
    published="2024-02-10",
    updated="2024-02-24",
    packaged="2024-03-01 18:40:02",
    rating="General Audiences",
    warnings=["No Archive Warnings Apply"],
    chapters_stated="2",
    language="English",
    summary="Tobias Reyne comes to Harrow Point for six weeks. He keeps a ledger of everything he gets wrong.",
    front="Prequel to nothing in particular. I just wanted Toby's first summer.",
    end="Chapter three when the semester ends, I promise.",
    chapter_list=[
        dict(
            title="Entry the First",
            notes="Toby narrates. He is not as funny as he thinks he is.",
            text="""
I arrived at Harrow Point on the fourth of June with a theodolite, two crates of instruments, a contract for six weeks, and a sunburn I had acquired entirely on the ferry.

The keeper met me on the quay. I had been told to expect an old man called Vantongeren. What I got was his daughter, who was about my age, had her father's name and none of his patience, and looked at my crates the way a cat looks at a bath.

"You're the mapmaker," she said.

"Cartographer," I said.

"Is there a difference?"

"About four years of study and a great deal of debt."

She did not laugh. I wrote that down later, in the back of my survey ledger, under a heading I had labelled *Errors*: Made a joke. Keeper did not laugh. Check bearings before trying again.

Her name was Marisol. Her sister, who was twelve and seemed to be made entirely of elbows and questions, called her Sol, and after a week so did I, and she let me, which I took to be progress.

"Why do you need to measure the rocks?" Wren asked me on the third day. "They don't move."

"Everything moves," I said. "The sand moves. The channels move. The rocks just move slower than the rest."

"That's stupid."

"That's geology."

"Birdie," said Sol from the doorway, "leave the mapmaker alone."

"Cartographer," said Wren and I, together, and Sol rolled her eyes so hard I worried for her.

That night I found a second mug of tea on the step outside my door. It had gone cold by the time I noticed it. I drank it anyway, standing in the dark with the beam going over my head every six seconds, and I wrote in the ledger, under *Errors*: Did not notice tea. Check bearings.

"Did you drink it?" Sol asked me at breakfast, not looking up from her porridge.

"I did."

"It was cold."

"It was," I agreed. "It was also the best tea I've had on this coast."

"It's the only tea you've had on this coast, mapmaker."

"That," I said, "is also true."

Wren looked from her sister to me and back again, and put down her spoon, and said, with the terrible clarity of the twelve-year-old, "Oh, no."
""",
        ),
        dict(
            title="Entry the Second",
            end_notes="Yes, that line. You know the one.",
            text="""
By the end of my six weeks I had charted the south approach, half the north, and every way there was to annoy a lighthouse keeper.

I had left my boots on the lamp room stairs. I had borrowed her tide tables and not given them back. I had, on one memorable occasion, mistaken the fog signal for a cow.

She wrote none of this down. She didn't have to. She remembered everything, and reminded me of it in a level voice over breakfast, the way other people read out the shipping forecast.

On the last night she found me on the gallery with my ledger open on my knees.

"What's that?" she asked.

"My errors," I said.

She held out her hand. I gave it to her; it did not occur to me not to. She read the back pages by the light of the lamp going round, and I watched her face, and I could not tell what she was thinking, which was the first entry I had never thought to make.

"You wrote down that I didn't laugh," she said.

"You didn't."

"I laughed later. In the kitchen. You just didn't hear it." She closed the ledger and gave it back. "Your contract ends tomorrow."

"It does."

"Are you going to go?"

I looked out at the dark water. I thought of an old saying my mother used to have, from somewhere further up this coast: nobody keeps a light for a ship that isn't coming. I thought that I had never in my life been the ship anyone was waiting for.

"The Board's offered me another season," I said.

"And?"

"And I think the north approach needs more work."

Sol looked at me for a long moment. Then she stood up and went to the hatch.

"Breakfast's at six," she said. "Don't be late, mapmaker."

I opened the ledger, found a clean page, and wrote: *Stayed.*

I did not put it under Errors.
""",
        ),
    ],
)

# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def inline_html(text: str) -> str:
    return re.sub(r"\*(\S(?:[^*]*\S)?)\*", r"<em>\1</em>", html.escape(text, quote=False))


def story_html(text: str, *, hr: str = "<hr />") -> str:
    return "\n".join(hr if p == "***" else f"<p>{inline_html(p)}</p>" for p in paragraphs(text))


def plain(text: str) -> str:
    return re.sub(r"\*(\S(?:[^*]*\S)?)\*", r"\1", text)


def story_words(story: dict) -> int:
    return sum(len(plain(p).split()) for ch in story["chapter_list"] for p in paragraphs(ch["text"]) if p != "***")


def tag_link(tag: str) -> str:
    return f'<a rel="tag" href="{AO3}/tags/{quote(tag, safe="")}/works">{html.escape(tag)}</a>'


# --- AO3 -------------------------------------------------------------------------------------


def ao3_preface(s: dict) -> str:
    rows = []
    for singular, plural, values in (
        ("Rating", "Ratings", [s["rating"]]),
        ("Archive Warning", "Archive Warnings", s["warnings"]),
        ("Category", "Categories", s["categories"]),
        ("Fandom", "Fandoms", s["fandoms"]),
        ("Relationship", "Relationships", s["relationships"]),
        ("Character", "Characters", s["characters"]),
        ("Additional Tags", "Additional Tags", s["tags"]),
    ):
        if values:
            label = singular if len(values) == 1 else plural
            rows.append(f"<dt>{label}:</dt>\n<dd>{', '.join(tag_link(v) for v in values)}</dd>")
    rows.append(f"<dt>Language:</dt>\n<dd>{s['language']}</dd>")
    if s["series"]:
        parts = ", ".join(
            f'Part {x["part"]} of\n<a href="{AO3}/series/2900001">{html.escape(x["name"])}</a>' for x in s["series"])
        rows.append(f"<dt>Series:</dt>\n<dd>{parts}</dd>")
    done, _, total = s["chapters_stated"].partition("/")
    stats = f"Published: {s['published']}\n"
    if s["updated"]:
        stats += f"{'Updated' if total == '?' or done != total else 'Completed'}: {s['updated']}\n"
    stats += f"Words: {story_words(s):,}\nChapters: {s['chapters_stated']}"
    rows.append(f"<dt>Stats:</dt>\n<dd>\n{stats}\n</dd>")
    if s["authors"] == ["Anonymous"]:
        byline = "Anonymous"
    else:
        byline = ", ".join(f'<a rel="author" href="{AO3}/users/{a}/pseuds/{a}">{a}</a>' for a in s["authors"])
    notes = ""
    if s["summary"]:
        notes += f'<p>Summary</p>\n<blockquote class="userstuff">{story_html(s["summary"])}</blockquote>\n'
    if s["front"] or s["end"]:
        notes += "<p>Notes</p>\n"
        if s["front"]:
            notes += f'<blockquote class="userstuff">{story_html(s["front"])}</blockquote>\n'
        if s["end"]:
            more = "more " if s["front"] else ""
            notes += f'<div class="endnote-link">\nSee the end of the work for {more}<a href="#endnotes">notes</a>\n</div>\n'
    if s["inspired_by"]:
        items = []
        for ref in s["inspired_by"]:
            title, _, author = ref.rpartition(" by ")
            items.append(f'<li>\nInspired by <a href="{AO3}/works/47000009">{html.escape(title)}</a> by '
                         f'<a href="{AO3}/users/{author}/pseuds/{author}">{author}</a>\n</li>')
        notes += "<ul>\n" + "\n".join(items) + "\n</ul>\n"
    return f"""<div id="preface">
<h2 class="toc-heading">Preface</h2>
<p class="message">
<b>{html.escape(s['title'])}</b><br/>
Posted originally on the <a href="{AO3}/">Archive of Our Own</a> at <a href="{s['url']}">{s['url']}</a>.
</p>
<div class="meta">
<dl class="tags">
{chr(10).join(rows)}
</dl>
<h1>{html.escape(s['title'])}</h1>
<div class="byline">by {byline}</div>
{notes}</div>
</div>"""


def ao3_chapters(s: dict) -> str:
    chapters = s["chapter_list"]
    if len(chapters) == 1:
        return (f'<div id="chapters" class="userstuff">\n<h2 class="toc-heading">{html.escape(s["title"])}</h2>\n'
                f'<div class="userstuff">{story_html(chapters[0]["text"])}</div>\n</div>')
    out = ['<div id="chapters" class="userstuff">']
    for n, ch in enumerate(chapters, 1):
        heading = f"Chapter {n}: {ch['title']}" if ch.get("title") else f"Chapter {n}"
        meta = f'<div class="meta group">\n<h2 class="heading">{html.escape(heading)}</h2>\n'
        if ch.get("summary"):
            meta += f'<p>Chapter Summary</p>\n<blockquote class="userstuff">{story_html(ch["summary"])}</blockquote>\n'
        if ch.get("notes"):
            meta += f'<p>Chapter Notes</p>\n<blockquote class="userstuff">{story_html(ch["notes"])}</blockquote>\n'
        out.append(meta + "</div>")
        out.append(f'<!--chapter content-->\n<div class="userstuff">{story_html(ch["text"])}</div>\n<!--/chapter content-->')
        if ch.get("end_notes"):
            out.append(f'<div class="meta" id="endnotes{n}">\n<p>Chapter End Notes</p>\n'
                       f'<blockquote class="userstuff">{story_html(ch["end_notes"])}</blockquote>\n</div>')
    out.append("</div>")
    return "\n".join(out)


def ao3_afterword(s: dict) -> str:
    inner = ""
    if s["end"]:
        inner += (f'<div id="endnotes">\n<p>End Notes</p>\n'
                  f'<blockquote class="userstuff">{story_html(s["end"])}</blockquote>\n</div>\n')
    if s.get("children"):
        dds = "".join(f'<dd>\n<a href="{AO3}/works/49000010">{html.escape(c)}</a>\n</dd>\n' for c in s["children"])
        inner += f"<dl>\n<dt>Works inspired by this one:</dt>\n{dds}</dl>\n"
    meta = f'<div class="meta">\n{inner}</div>\n' if inner else ""
    return f"""<div id="afterword">
<h2 class="toc-heading">Afterword</h2>
{meta}<p class="message">Please <a href="{s['url']}/comments/new">drop by the Archive and comment</a> to let the creator know if you enjoyed their work!</p>
</div>"""


def ao3_head(s: dict) -> str:
    title = f"{s['title']} - {', '.join(s['authors'])} - {', '.join(s['fandoms'])}"
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8"/>\n<title>{html.escape(title)}</title>\n'
            '<style type="text/css">body { font-family: serif; } .toc-heading { text-align: center; }</style>\n'
            "</head>\n<body>\n")


def ao3_html(s: dict) -> str:
    return ao3_head(s) + "\n".join([ao3_preface(s), ao3_chapters(s), ao3_afterword(s)]) + "\n</body>\n</html>\n"


# --- EPUB ------------------------------------------------------------------------------------

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""


def write_epub(path: Path, opf_path: str, files: list[tuple[str, str]]) -> None:
    """EPUB 2 zip: `mimetype` first and stored, everything else deflated, fixed timestamps."""
    with zipfile.ZipFile(path, "w") as z:
        info = zipfile.ZipInfo("mimetype", ZIP_TIME)
        info.compress_type = zipfile.ZIP_STORED
        z.writestr(info, "application/epub+zip")
        for name, content in [("META-INF/container.xml", CONTAINER.format(opf=opf_path))] + files:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content.encode("utf-8"))


def ncx(uid: str, title: str, points: list[tuple[str, str]]) -> str:
    navs = "\n".join(
        f'<navPoint id="np{n}" playOrder="{n}"><navLabel><text>{html.escape(label)}</text></navLabel>'
        f'<content src="{src}"/></navPoint>' for n, (label, src) in enumerate(points, 1))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<head><meta name="dtb:uid" content="{html.escape(uid)}"/><meta name="dtb:depth" content="1"/>
<meta name="dtb:totalPageCount" content="0"/><meta name="dtb:maxPageNumber" content="0"/></head>
<docTitle><text>{html.escape(title)}</text></docTitle>
<navMap>
{navs}
</navMap>
</ncx>
"""


def xhtml(title: str, body: str, body_class: str, extra_head: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
            f"<title>{html.escape(title)}</title>\n"
            f'<link href="stylesheet.css" type="text/css" rel="stylesheet"/>\n{extra_head}</head>\n'
            f'<body class="{body_class}">\n{body}\n</body>\n</html>\n')


def ao3_epub(s: dict, path: Path) -> None:
    """As Calibre's ebook-convert makes it from the AO3 HTML: split at the toc headings, OPF metadata."""
    parts = [ao3_preface(s), ao3_chapters(s), ao3_afterword(s)]
    names = [f"index_split_{n:03d}.html" for n in range(len(parts))]
    files = [(n, xhtml(s["title"], p, "calibre")) for n, p in zip(names, parts)]
    uid = "a1b2c3d4-0000-4000-8000-000000000004"
    subjects = "".join(f"<dc:subject>{html.escape(t)}</dc:subject>\n" for t in
                       ["Fanworks", s["rating"], *s["warnings"], *s["categories"], *s["fandoms"],
                        *s["relationships"], *s["characters"], *s["tags"]])
    manifest = "".join(f'<item id="html{n}" href="{name}" media-type="application/xhtml+xml"/>\n'
                       for n, name in enumerate(names))
    spine = "".join(f'<itemref idref="html{n}"/>\n' for n in range(len(names)))
    series = "".join(f'<meta name="calibre:series" content="{html.escape(x["name"])}"/>\n'
                     f'<meta name="calibre:series_index" content="{x["part"]}"/>\n' for x in s["series"][:1])
    opf = f"""<?xml version='1.0' encoding='utf-8'?>
<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="uuid_id" version="2.0">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:title>{html.escape(s['title'])}</dc:title>
{''.join(f'<dc:creator opf:file-as="{a}" opf:role="aut">{a}</dc:creator>' for a in s['authors'])}
<dc:description>{html.escape(story_html(s['summary']))}</dc:description>
<dc:publisher>Archive of Our Own</dc:publisher>
<dc:identifier id="uuid_id" opf:scheme="uuid">{uid}</dc:identifier>
<dc:identifier opf:scheme="URI">{s['url']}</dc:identifier>
<dc:date>{s['published']}T00:00:00+00:00</dc:date>
<dc:language>en</dc:language>
{subjects}{series}<meta name="calibre:title_sort" content="{html.escape(s['title'])}"/>
</metadata>
<manifest>
{manifest}<item id="css" href="stylesheet.css" media-type="text/css"/>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
</manifest>
<spine toc="ncx">
{spine}</spine>
</package>
"""
    points = [("Preface", names[0]), (s["title"], names[1]), ("Afterword", names[2])]
    css = "body { font-family: serif; }\n.calibre { display: block; }\n"
    write_epub(path, "content.opf", [("content.opf", opf), ("toc.ncx", ncx(uid, s["title"], points)),
                                     ("stylesheet.css", css)] + files)


# --- FanFicFare ------------------------------------------------------------------------------


def fff_entries(s: dict) -> list[tuple[str, str]]:
    return [
        ("Category", ", ".join(s["fandoms"])),
        ("Genre", ", ".join(s["genre"])),
        ("Language", s["language"]),
        ("Characters", ", ".join(s["characters"])),
        ("Relationships", ", ".join(s["relationships"])),
        ("Status", s["status"]),
        ("Published", s["published"]),
        ("Updated", s["updated"]),
        ("Packaged", s["packaged"]),
        ("Rating", s["rating"]),
        ("Warnings", ", ".join(s["warnings"])),
        ("Chapters", s["chapters_stated"]),
        ("Words", f"{story_words(s):,}"),
        ("Publisher", s["site"]),
        ("Summary", s["summary"]),
    ]


def fff_notes(labelled: list[tuple[str, str]], where: str) -> str:
    if not labelled:
        return ""
    inner = "".join(f"<b>{label}</b>\n<blockquote>{story_html(text)}</blockquote>\n" for label, text in labelled)
    return f'<div class="fff_chapter_notes fff_{where}_notes">\n{inner}</div>\n'


def fff_chapter_notes(s: dict, n: int) -> tuple[list, list]:
    ch, last = s["chapter_list"][n], n == len(s["chapter_list"]) - 1
    head, foot = [], []
    if n == 0 and s["front"]:
        head.append(("Author's Note:", s["front"]))
    if ch.get("summary"):
        head.append(("Summary for the Chapter:", ch["summary"]))
    if ch.get("notes"):
        head.append(("Notes for the Chapter:", ch["notes"]))
    if ch.get("end_notes"):
        foot.append(("Notes for the Chapter:", ch["end_notes"]))
    if last and s["end"]:
        foot.append(("Author's Note:", s["end"]))
    return head, foot


def fff_epub(s: dict, path: Path) -> None:
    author = s["authors"][0]
    uid = f"fanficfare-uid:{s['site']}-u{author}-s{s['url'].rsplit('/', 1)[1]}"
    entries = "".join(f"<b>{label}:</b> {html.escape(value)}<br />\n" for label, value in fff_entries(s))
    title_page = xhtml(f"{s['title']} by {author}",
                       f'<h3><a href="{s["url"]}">{html.escape(s["title"])}</a> by '
                       f'<a class="authorlink" href="{s["author_url"]}">{author}</a></h3>\n<div>\n{entries}</div>',
                       "fff_titlepage")
    chapters = s["chapter_list"]
    names = [f"OEBPS/file{n:04d}.xhtml" for n in range(1, len(chapters) + 1)]
    toc_links = "".join(f'<a href="file{n:04d}.xhtml">{html.escape(ch["title"])}</a><br />\n'
                        for n, ch in enumerate(chapters, 1))
    toc_page = xhtml(f"{s['title']} by {author}", f"<div>\n<h3>Table of Contents</h3>\n{toc_links}</div>", "fff_tocpage")
    files = [("OEBPS/title_page.xhtml", title_page), ("OEBPS/toc_page.xhtml", toc_page)]
    for n, (name, ch) in enumerate(zip(names, chapters)):
        head, foot = fff_chapter_notes(s, n)
        meta = (f'<meta name="chapterurl" content="{s["url"]}/chapters/{n + 1}"/>\n'
                f'<meta name="chaptertitle" content="{html.escape(ch["title"])}"/>\n')
        body = (f'<h3 class="fff_chapter_title">{html.escape(ch["title"])}</h3>\n'
                + fff_notes(head, "head")
                + f'<div id="chapter-{n + 1}" class="userstuff">\n'
                + story_html(ch["text"], hr='<div class="center">* * *</div>')
                + "\n</div>\n" + fff_notes(foot, "foot"))
        files.append((name, xhtml(ch["title"], body, "fff_chapter", meta)))
    subjects = "".join(f"<dc:subject>{html.escape(t)}</dc:subject>\n" for t in ["FanFiction", *s["genre"]])
    manifest = ('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>\n'
                '<item id="style" href="OEBPS/stylesheet.css" media-type="text/css"/>\n'
                '<item id="title_page" href="OEBPS/title_page.xhtml" media-type="application/xhtml+xml"/>\n'
                '<item id="toc_page" href="OEBPS/toc_page.xhtml" media-type="application/xhtml+xml"/>\n'
                + "".join(f'<item id="file{n:04d}" href="{name}" media-type="application/xhtml+xml"/>\n'
                          for n, name in enumerate(names, 1)))
    spine = ('<itemref idref="title_page" linear="yes"/>\n<itemref idref="toc_page" linear="yes"/>\n'
             + "".join(f'<itemref idref="file{n:04d}" linear="yes"/>\n' for n in range(1, len(names) + 1)))
    opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package version="2.0" xmlns="http://www.idpf.org/2007/opf" unique-identifier="fanficfare-uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:identifier id="fanficfare-uid">{uid}</dc:identifier>
<dc:title id="id">{html.escape(s['title'])}</dc:title>
<dc:creator opf:role="aut">{author}</dc:creator>
<dc:contributor id="id-2">FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>
<dc:language>en</dc:language>
<dc:date opf:event="publication">{s['published']}</dc:date>
<dc:date opf:event="creation">{s['packaged'][:10]}</dc:date>
<dc:date opf:event="modification">{s['updated']}</dc:date>
<dc:description>{html.escape(s['summary'])}</dc:description>
{subjects}<dc:publisher>{s['site']}</dc:publisher>
<dc:identifier opf:scheme="URL">{s['url']}</dc:identifier>
<dc:source>{s['url']}</dc:source>
</metadata>
<manifest>
{manifest}</manifest>
<spine toc="ncx">
{spine}</spine>
</package>
"""
    points = [("Title Page", "OEBPS/title_page.xhtml"), ("Table of Contents", "OEBPS/toc_page.xhtml")]
    points += [(ch["title"], name) for ch, name in zip(chapters, names)]
    css = ".fff_chapter_notes { border: 1px solid; }\n.center { text-align: center; }\n"
    write_epub(path, "content.opf", [("content.opf", opf), ("toc.ncx", ncx(uid, s["title"], points)),
                                     ("OEBPS/stylesheet.css", css)] + files)


def wraplines(text: str, width: int = 78) -> str:
    """FanFicFare's TXT writer: textwrap every line at 78 columns (tabs expanded, as textwrap does)."""
    return "".join("\n".join(textwrap.wrap(line, width)) + "\n" for line in text.split("\n"))


def html2text_like(paras: list[str], *, quote_prefix: str = "") -> str:
    """What html2text makes of simple paragraphs: emphasis as _x_, wrapped at 78, blank line between."""
    out = []
    for p in paras:
        if p == "***":
            out.append(quote_prefix + "* * *")
            continue
        text = re.sub(r"\*(\S(?:[^*]*\S)?)\*", r"_\1_", p)
        lines = textwrap.wrap(text, 78 - len(quote_prefix))
        out.append("\n".join(quote_prefix + line for line in lines))
    return "\n\n".join(out) + "\n\n"


def fff_txt(s: dict, path: Path) -> None:
    author = s["authors"][0]
    head = f"\n\n\n{s['title']}\n\nby {author}\n\n\n\n"
    head += "".join(f"{label}: {value}\n" for label, value in fff_entries(s))
    head += f"Story URL: {s['url']}\nAuthor URL: {s['author_url']}\n"
    head += "\n\n\n\n\nTABLE OF CONTENTS\n\n"
    head += "".join(f"\n{ch['title']}\n" for ch in s["chapter_list"]) + "\n"
    out = wraplines(head)
    for n, ch in enumerate(s["chapter_list"]):
        out += wraplines(f"\n\n\t{ch['title']}\n\n")
        body_notes = fff_chapter_notes(s, n)
        for label, text in body_notes[0]:
            out += f"**{label}**\n\n" + html2text_like(paragraphs(text), quote_prefix="> ")
        out += html2text_like(paragraphs(ch["text"]))
        for label, text in body_notes[1]:
            out += f"**{label}**\n\n" + html2text_like(paragraphs(text), quote_prefix="> ")
    out += wraplines("\n\nEnd file.\n")
    path.write_bytes(out.replace("\n", "\r\n").encode("utf-8"))


# --- plain text ------------------------------------------------------------------------------


def last_light_txt() -> str:
    story = "\n\n".join(paragraphs(LAST_LIGHT))
    return f"{LAST_LIGHT_TITLE}\nby {LAST_LIGHT_AUTHOR}\n\n{LAST_LIGHT_FRONT}\n\n{story}\n\n{LAST_LIGHT_END}\n"


def salt_and_static_txt() -> str:
    return "\n".join(line for line in SALT_AND_STATIC.strip().split("\n")) + "\n"


# ---------------------------------------------------------------------------------------------
# The answer key
# ---------------------------------------------------------------------------------------------


def markup_notes(s: dict, *, chapter_summaries_as: str = "chapter-front") -> list[dict]:
    notes = []
    if s["summary"]:
        notes.append({"kind": "summary", "text": plain(s["summary"]), "chapter": None})
    if s["front"]:
        notes.append({"kind": "front", "text": plain(s["front"]), "chapter": None})
    for n, ch in enumerate(s["chapter_list"]):
        for key, kind in (("summary", chapter_summaries_as), ("notes", "chapter-front"), ("end_notes", "chapter-end")):
            if ch.get(key):
                notes.append({"kind": kind, "text": plain(ch[key]), "chapter": n})
    if s["end"]:
        notes.append({"kind": "end", "text": plain(s["end"]), "chapter": None})
    return notes


def fff_notes_key(s: dict) -> list[dict]:
    """FanFicFare keeps the work's notes inside the first and last chapters."""
    notes = [{"kind": "summary", "text": s["summary"], "chapter": None}]
    last = len(s["chapter_list"]) - 1
    for n, ch in enumerate(s["chapter_list"]):
        if n == 0 and s["front"]:
            notes.append({"kind": "front", "text": s["front"], "chapter": None})
        for key, kind in (("summary", "chapter-front"), ("notes", "chapter-front"), ("end_notes", "chapter-end")):
            if ch.get(key):
                notes.append({"kind": kind, "text": plain(ch[key]), "chapter": n})
        if n == last and s["end"]:
            notes.append({"kind": "end", "text": s["end"], "chapter": None})
    return notes


def ao3_meta_key(s: dict, fmt: str) -> dict:
    done, _, total = s["chapters_stated"].partition("/")
    return {
        "format": fmt, "title": s["title"], "authors": s["authors"], "fandoms": s["fandoms"],
        "relationships": s["relationships"], "characters": s["characters"], "tags": s["tags"],
        "rating": s["rating"], "warnings": s["warnings"], "categories": s["categories"],
        "language": s["language"], "series": s["series"], "published": s["published"],
        "updated": s["updated"], "words": story_words(s), "chapters": s["chapters_stated"],
        "summary": plain(s["summary"]), "url": s["url"], "publisher": "Archive of Our Own",
        "status": "Completed" if done == total else "In-Progress", "inspired_by": s["inspired_by"],
    }


def fff_meta_key(s: dict, fmt: str) -> dict:
    return {
        "format": fmt, "title": s["title"], "authors": s["authors"], "fandoms": s["fandoms"],
        "relationships": s["relationships"], "characters": s["characters"], "tags": s["tags"],
        "rating": s["rating"], "warnings": s["warnings"], "categories": s["categories"],
        "language": s["language"], "series": [], "published": s["published"], "updated": s["updated"],
        "words": story_words(s), "chapters": s["chapters_stated"], "summary": s["summary"], "url": s["url"],
        "publisher": s["site"], "status": s["status"], "inspired_by": [],
    }


SHARED_LINE = "Nobody keeps a light for a ship that isn't coming."

EXPECTED = {
    "01_last_light.txt": {
        "format": "text",
        "title": LAST_LIGHT_TITLE,
        "authors": [LAST_LIGHT_AUTHOR],
        "front_matter": f"{LAST_LIGHT_TITLE}\nby {LAST_LIGHT_AUTHOR}\n\n{LAST_LIGHT_FRONT}",
        "end_matter": LAST_LIGHT_END,
        "story_first_words": "The letter from the Coastal Board came on a Tuesday",
        "story_last_words": "for as long as the lease held and a good while after.",
        "narration": {"person": "third", "tense": "past", "pov": ["Tobias Reyne"]},
        "quotes": "curly",
        "speakers": [
            {"quote": "You read it,", "speaker": "Marisol", "method": "pronoun-tagged"},
            {"quote": "Automated beacon by spring,", "speaker": "Marisol", "method": "name-tagged"},
            {"quote": "Only when it’s being difficult.", "speaker": "Marisol", "method": "untagged"},
            {"quote": "So, always.", "speaker": "Tobias Reyne", "method": "untagged"},
            {"quote": "What’s this?", "speaker": "Marisol", "method": "name-tagged"},
            {"quote": "You did this for me, Toby?", "speaker": "Marisol", "addressee": "Tobias Reyne",
             "method": "vocative"},
        ],
        "characters": {"Tobias Reyne": ["Toby", "Tobias"], "Marisol": ["Sol"], "Captain Harrow": ["the captain"]},
        "shares_line_with": ["02_salt_and_static.txt", "03_charting_the_dark.html", "06_cartographers_ledger.txt"],
        "retold_by": "02_salt_and_static.txt",
    },
    "02_salt_and_static.txt": {
        "format": "text",
        "title": None,
        "authors": [],
        "front_matter": "",
        "end_matter": "",
        "layout": "one paragraph per line, no blank lines",
        "story_first_words": "The letter is on the kitchen table when I come down",
        "story_last_words": "I'll show him every morning I can.",
        "narration": {"person": "first", "tense": "present", "pov": ["Marisol"]},
        "quotes": "straight",
        "speakers": [
            {"quote": "You read it,", "speaker": "Marisol", "method": "first-person tagged (I say)"},
            {"quote": "Automated beacon by spring,", "speaker": "Marisol", "method": "first-person tagged"},
            {"quote": "Nobody keeps a light for a ship that isn't coming,", "speaker": "Toby",
             "method": "pronoun-tagged"},
            {"quote": "And you're still here!", "speaker": "Ilse Harrow", "method": "pronoun-tagged"},
        ],
        "characters": {"Toby": ["Toby"], "Ilse Harrow": ["Ilse"], "Marisol": ["Marisol", "Sol", "I"]},
        "retells": "01_last_light.txt",
    },
    "03_charting_the_dark.html": {
        **ao3_meta_key(CHARTING, "ao3-html"),
        "chapter_titles": ["Chapter 1: The Widow’s Teeth", "Chapter 2: Landfall"],
        "notes": markup_notes(CHARTING),
        "narration": {"person": "third", "tense": "past", "pov": ["Wren Vantongeren"]},
        "quotes": "curly",
        "speakers": [
            {"quote": "Birdie!", "speaker": "Ilse Harrow", "addressee": "Wren Vantongeren", "method": "vocative"},
            {"quote": "You can’t see anything,", "speaker": "Wren Vantongeren", "method": "name-tagged"},
            {"quote": "Sol will have the light lit,", "speaker": "Wren Vantongeren", "method": "pronoun-tagged"},
            {"quote": "Don’t,", "speaker": "Ilse Harrow", "method": "name-tagged (said the captain)"},
            {"quote": "Nobody. I know you.", "speaker": "Sol", "method": "untagged"},
        ],
        "shares_line_with": ["01_last_light.txt"],
    },
    "04_where_the_gulls_go.epub": {
        **ao3_meta_key(GULLS, "ao3-epub"),
        "chapter_titles": [GULLS["title"]],
        "notes": markup_notes(GULLS),
        "narration": {"person": "second", "tense": "present", "pov": ["Y/N"]},
        "quotes": "straight",
        "speakers": [
            {"quote": "Cutting it fine,", "speaker": "Tobias", "method": "described (says the man at the rail)"},
            {"quote": "I had it under control,", "speaker": "Y/N", "method": "second-person tagged (you tell him)"},
            {"quote": "Not for me,", "speaker": "Tobias", "method": "name-tagged (Toby says)"},
            {"quote": "I know who she's from,", "speaker": "Marisol", "method": "described (says the keeper)"},
            {"quote": "Can I ask you something, Toby?", "speaker": "Y/N", "addressee": "Tobias",
             "method": "untagged, vocative"},
            {"quote": "Somebody has to,", "speaker": "Tobias", "method": "pronoun-tagged (he says)"},
        ],
    },
    "05_fog_season.epub": {
        **fff_meta_key(FOG, "fff-epub"),
        "chapter_titles": [ch["title"] for ch in FOG["chapter_list"]],
        "notes": fff_notes_key(FOG),
        "narration": {"person": "third", "tense": "present", "pov": ["Ilse Harrow"]},
        "quotes": "curly",
        "speakers": [
            {"quote": "We could row in,", "speaker": "Jory", "method": "name-tagged"},
            {"quote": "We could drown.", "speaker": "Ilse Harrow", "method": "untagged"},
            {"quote": "Go to bed, Captain.", "speaker": "Jory", "addressee": "Ilse Harrow", "method": "vocative"},
            {"quote": "You’re welcome, Ilse,", "speaker": "Jory", "addressee": "Ilse Harrow", "method": "pronoun-tagged"},
        ],
    },
    "06_cartographers_ledger.txt": {
        **fff_meta_key(LEDGER, "fff-txt"),
        "chapter_titles": [ch["title"] for ch in LEDGER["chapter_list"]],
        "notes": fff_notes_key(LEDGER),
        "narration": {"person": "first", "tense": "past", "pov": ["Tobias Reyne"]},
        "quotes": "straight",
        "speakers": [
            {"quote": "You're the mapmaker,", "speaker": "Marisol", "method": "pronoun-tagged"},
            {"quote": "Cartographer,", "speaker": "Tobias Reyne", "method": "first-person tagged (I said)"},
            {"quote": "That's stupid.", "speaker": "Wren", "method": "untagged"},
            {"quote": "Did you drink it?", "speaker": "Sol", "addressee": "Tobias Reyne", "method": "name-tagged (Sol asked me)"},
            {"quote": "It's the only tea you've had on this coast, mapmaker.", "speaker": "Sol",
             "addressee": "Tobias Reyne", "method": "untagged, nickname vocative"},
            {"quote": "Birdie,", "speaker": "Sol", "addressee": "Wren", "method": "name-tagged, vocative"},
        ],
        "shares_line_with": ["01_last_light.txt"],
    },
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "01_last_light.txt").write_text(last_light_txt(), encoding="utf-8", newline="\n")
    (OUT / "02_salt_and_static.txt").write_text(salt_and_static_txt(), encoding="utf-8", newline="\n")
    (OUT / "03_charting_the_dark.html").write_text(ao3_html(CHARTING), encoding="utf-8", newline="\n")
    ao3_epub(GULLS, OUT / "04_where_the_gulls_go.epub")
    fff_epub(FOG, OUT / "05_fog_season.epub")
    fff_txt(LEDGER, OUT / "06_cartographers_ledger.txt")
    key = {"shared_line": SHARED_LINE, "files": EXPECTED}
    (OUT / "expected.json").write_text(json.dumps(key, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for path in sorted(OUT.iterdir()):
        if path.suffix in (".txt", ".html", ".epub", ".json"):
            print(f"{path.stat().st_size:>7,}  {path.relative_to(OUT.parent.parent.parent)}")


if __name__ == "__main__":
    main()
